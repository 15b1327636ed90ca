package org.neurite.datasets.jsonl;

import java.nio.file.Path;
import java.util.List;
import org.neurite.api.data.Dataset;
import org.neurite.datasets.internal.JsonlOpening;

/** A JSON Lines file as a {@link Dataset}, read as {@code dataset.jsonl} reads it with the same field names. */
public final class JsonlDatasets {
  private JsonlDatasets() {}

  /**
   * @param contentHash the file's SHA-256 (its identity in provenance)
   * @param text the field holding the text (with a prompt, the text is prompt + response)
   * @param group the field whose value is the example's group, or "" for none
   * @param labels further label fields every line has
   * @param prompt the prompt field, or "" for none; {@code response} likewise
   * @param choices the field holding a list of choices, or "" for none; {@code answer} the right one's index
   */
  public static Dataset open(String name, Path file, String contentHash, String text, String group,
      List<String> labels, String prompt, String response, String choices, String answer) {
    return JsonlOpening.open(name, file, contentHash, text, group, "id", labels, prompt, response,
        choices.isEmpty() ? List.of() : List.of(choices), answer);
  }
}
