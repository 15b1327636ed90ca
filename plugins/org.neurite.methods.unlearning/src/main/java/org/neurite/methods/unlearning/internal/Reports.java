package org.neurite.methods.unlearning.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neurite.api.context.StepContext;

/** Writes a step's JSON report as an artifact. */
final class Reports {
  private Reports() {}

  static Path write(StepContext context, String fileName, JsonObject report) throws Exception {
    return context.artifacts().write(fileName, "report", temporary -> Files.writeString(temporary,
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(report) + "\n",
        StandardCharsets.UTF_8));
  }
}
