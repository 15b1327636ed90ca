package org.neurite.api.workflow;

import java.util.Map;

/**
 * How to run a workflow.
 *
 * @param overrides workflow parameters set on the command line ({@code --set key=value}), as text
 * @param noCache run every step even when an earlier identical step could be reused
 * @param device the device for tensor work ({@code cpu}, {@code cuda:0}); null keeps the
 *     workflow's {@code device} parameter or {@code cpu}
 */
public record RunOptions(Map<String, String> overrides, boolean noCache, String device) {
  public RunOptions {
    overrides = Map.copyOf(overrides);
  }

  public static RunOptions defaults() {
    return new RunOptions(Map.of(), false, null);
  }
}
