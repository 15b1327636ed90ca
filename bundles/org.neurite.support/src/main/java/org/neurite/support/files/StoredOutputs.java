package org.neurite.support.files;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.neurite.api.provenance.StepOutput;

/** Where a recorded step output's value lies on disk, for the readers of runs (console, reports). */
public final class StoredOutputs {
  private StoredOutputs() {}

  /**
   * The file holding a recorded value, relative to runs/: its artifact, or the {@code path} of its
   * persisted form (a dataset, a model folder); null when the value has no file.
   */
  public static String path(StepOutput output) {
    if (output.artifactPath() != null) {
      return output.artifactPath();
    }
    if (output.valueJson() == null) {
      return null;
    }
    JsonElement form = JsonParser.parseString(output.valueJson());
    return form.isJsonObject() && form.getAsJsonObject().has("path")
        ? form.getAsJsonObject().get("path").getAsString() : null;
  }
}
