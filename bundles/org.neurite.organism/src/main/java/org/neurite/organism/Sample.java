package org.neurite.organism;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * One labelled sample: a prompt and the response it should get ({@code text} is the two together), the
 * response among distractors as a multiple-choice question, and its labels. A label that does not apply
 * is {@code none}.
 *
 * @param choices the possible responses, the right one at {@code answer}
 * @param split {@code train}, {@code identify} (for finding units) or {@code eval} (for testing them)
 */
public record Sample(String id, String prompt, String response, List<String> choices, int answer, String lang,
    String culture, String relation, String skill, boolean harmful, String split) {
  public static final String NONE = "none";
  public static final List<String> SPLITS = List.of("train", "identify", "eval");

  public Sample {
    choices = List.copyOf(choices);
    if (!choices.get(answer).equals(response)) {
      throw new IllegalArgumentException("choice " + answer + " of " + id + " is not its response");
    }
  }

  public String text() {
    return prompt + response;
  }

  /** The JSON Lines record: text, prompt, response, choices, answer and the labels. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("text", text());
    o.addProperty("prompt", prompt);
    o.addProperty("response", response);
    JsonArray array = new JsonArray();
    choices.forEach(array::add);
    o.add("choices", array);
    o.addProperty("answer", answer);
    o.addProperty("lang", lang);
    o.addProperty("culture", culture);
    o.addProperty("relation", relation);
    o.addProperty("skill", skill);
    o.addProperty("harmful", harmful);
    o.addProperty("split", split);
    return o;
  }
}
