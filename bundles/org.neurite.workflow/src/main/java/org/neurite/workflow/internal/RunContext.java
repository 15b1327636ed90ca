package org.neurite.workflow.internal;

import java.nio.file.Path;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.provenance.ProvenanceStore;
import org.neurite.api.workspace.Workspace;

/** What every step of one run shares; {@code runFolder} holds the run's artifacts (see {@link RunFolders}). */
record RunContext(long runId, String device, Workspace workspace, Path runsDir, Path runFolder, ProvenanceStore store,
    TensorBackend backend, ValueCodecs codecs, Listeners listener, Cancellation cancellation) {}
