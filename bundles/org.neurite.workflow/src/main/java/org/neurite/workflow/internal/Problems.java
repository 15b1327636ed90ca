package org.neurite.workflow.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurite.api.NeuriteException;

/** Every problem found in a workflow file, reported together: each names the file and the step. */
final class Problems {
  private final Path file;
  private final List<String> messages = new ArrayList<>();

  Problems(Path file) {
    this.file = file;
  }

  void add(String stepId, String message) {
    messages.add(file + (stepId == null ? "" : ", step '" + stepId + "'") + ": " + message);
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  void throwIfAny() {
    if (messages.isEmpty()) {
      return;
    }
    String header = messages.size() == 1 ? "" : messages.size() + " problems in " + file + ":\n  ";
    throw new NeuriteException(header + String.join("\n  ", messages));
  }
}
