package org.neurite.workflow.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.provenance.FileHashes;
import org.neurite.api.provenance.ProvenanceStore;

/** What every step of one run shares. */
record RunContext(long runId, String device, Path workspace, Path runsDir, ProvenanceStore store,
    TensorBackend backend, FileHashes hashes, PrintStream out, AtomicBoolean cancelled) {}
