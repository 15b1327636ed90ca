package org.neurite.workflow.internal;

import java.util.Map;
import java.util.function.Supplier;
import org.neurite.api.provenance.StepOutput;

/**
 * A finished step of the current run, as later steps see it: the record that holds its outputs
 * (itself, or the earlier record a cached step reused) and each output's lazily restored value.
 */
record StepState(long recordId, Map<String, StepOutput> outputs, Map<String, Supplier<Object>> values) {}
