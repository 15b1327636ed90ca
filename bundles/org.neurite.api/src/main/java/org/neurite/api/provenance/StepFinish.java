package org.neurite.api.provenance;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a step ended, given to {@link ProvenanceStore#finishStep}.
 *
 * @param status the final status (not {@link StepStatus#RUNNING})
 * @param outputs the step's outputs (for a cached step: the reused outputs)
 * @param cachedFrom for {@link StepStatus#CACHED}: the step record whose outputs were reused;
 *     otherwise null
 * @param duration how long the step took, measured by the engine (monotonic clock)
 * @param errorMessage for a failure: the one-line message; otherwise null
 * @param errorStackTrace for a failure: the full stack trace; otherwise null
 */
public record StepFinish(
    StepStatus status,
    List<StepOutput> outputs,
    Long cachedFrom,
    Duration duration,
    String errorMessage,
    String errorStackTrace) {

  public StepFinish {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(duration, "duration");
    if (status == StepStatus.RUNNING) {
      throw new IllegalArgumentException("a finished step cannot be RUNNING");
    }
    if ((status == StepStatus.CACHED) != (cachedFrom != null)) {
      throw new IllegalArgumentException("cachedFrom is given exactly when the status is CACHED");
    }
    outputs = List.copyOf(outputs);
  }

  public static StepFinish succeeded(List<StepOutput> outputs, Duration duration) {
    return new StepFinish(StepStatus.SUCCEEDED, outputs, null, duration, null, null);
  }

  /** A step whose outputs were taken from {@code origin} (a {@link MemoHit}'s step record). */
  public static StepFinish cached(long origin, List<StepOutput> outputs, Duration duration) {
    return new StepFinish(StepStatus.CACHED, outputs, origin, duration, null, null);
  }

  public static StepFinish failed(Throwable error, Duration duration) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
    return new StepFinish(StepStatus.FAILED, List.of(), null, duration, message, trace.toString());
  }

  public static StepFinish cancelled(Duration duration) {
    return new StepFinish(StepStatus.CANCELLED, List.of(), null, duration, null, null);
  }
}
