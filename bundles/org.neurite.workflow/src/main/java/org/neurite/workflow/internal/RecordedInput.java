package org.neurite.workflow.internal;

import org.neurite.api.provenance.StepOutput;

/**
 * An input bound to an output an earlier run recorded ({@code ${runs.N.step.output}}), as the
 * validator found it: restored by its recorded type when the consuming step runs, and recorded as
 * an input of that step with the producing record and the output's hash.
 *
 * @param reference the reference as written, with the output named
 * @param stepRecordId the producing step record (the latest completed record of that step in run N)
 * @param output the recorded output
 */
record RecordedInput(Reference reference, long stepRecordId, StepOutput output) {}
