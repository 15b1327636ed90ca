package org.neurite.datasets.internal;

import java.nio.file.Path;
import java.util.List;
import org.neurite.api.data.Dataset;

/** What {@link org.neurite.datasets.jsonl.JsonlDatasets} calls: a JSON Lines file as the step dataset.jsonl reads it. */
public final class JsonlOpening {
  private JsonlOpening() {}

  public static Dataset open(String name, Path file, String contentHash, String text, String group, String id,
      List<String> labels, String prompt, String response, List<String> choices, String answer) {
    Fields fields = new Fields(text, "", group, id, labels, prompt, response, choices, answer, "", "", "", "");
    return new FileDataset(name, "jsonl", file, contentHash, FileDatasetStep.fieldsOption(fields));
  }
}
