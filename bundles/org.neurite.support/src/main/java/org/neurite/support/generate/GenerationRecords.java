package org.neurite.support.generate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.neurite.api.generate.Generated;

/**
 * One generated example as a JSON line: {@code id}, {@code prompt} (the prompt's text, or its ids
 * when it had no text), {@code output} (the generated text), {@code output_ids}, {@code finish_reason}
 * ({@code eos}, {@code stop}, {@code length} or {@code abstained:<reason>}) and {@code seed}. The
 * {@code generate} step writes these lines, and so does the console's {@code generate --out}.
 */
public final class GenerationRecords {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private GenerationRecords() {}

  /** The record of one example; {@code prompt} is its text, or null to write its ids. */
  public static JsonObject record(String id, String prompt, Generated generated) {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    if (prompt != null) {
      o.addProperty("prompt", prompt);
    } else {
      o.add("prompt", ids(generated.promptIds()));
    }
    o.addProperty("output", generated.text());
    o.add("output_ids", ids(generated.outputIds()));
    o.addProperty("finish_reason", generated.finishReason().toString());
    o.addProperty("seed", generated.seed());
    return o;
  }

  /** The record as one line of JSON, without the line break. */
  public static String line(String id, String prompt, Generated generated) {
    return GSON.toJson(record(id, prompt, generated));
  }

  private static JsonArray ids(long[] ids) {
    JsonArray a = new JsonArray();
    for (long id : ids) {
      a.add(id);
    }
    return a;
  }
}
