package org.neurite.datasets.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.neurite.api.data.Example;

/**
 * The JSON Lines form of any example, with the field names of {@link Fields#MATERIALISED} (its
 * labels as fields of their own): how the dataset codec writes out a dataset a plugin built, so that
 * reading it back with {@link Shape#fields()} yields the same examples.
 */
final class Materialised {
  private Materialised() {}

  static JsonObject line(Example example) {
    Fields f = Fields.MATERIALISED;
    JsonObject line = new JsonObject();
    line.addProperty(f.id(), example.id());
    if (example.completion() != null) {
      line.addProperty(f.prompt(), example.completion().prompt());
      line.addProperty(f.response(), example.completion().response());
    } else if (example.text() != null) {
      line.addProperty(f.text(), example.text());
    }
    if (example.label() != null) {
      line.addProperty(f.label(), example.label());
    }
    if (example.group() != null) {
      line.addProperty(f.group(), example.group());
    }
    example.labels().forEach(line::addProperty);
    if (example.choices() != null) {
      JsonArray options = new JsonArray();
      example.choices().options().forEach(options::add);
      line.add(f.choices().get(0), options);
      line.addProperty(f.answer(), example.choices().answer());
    }
    if (example.contrast() != null) {
      if (example.contrast().corrupted() != null) {
        line.addProperty(f.corrupted(), example.contrast().corrupted());
      }
      if (example.contrast().answer() != null) {
        line.addProperty(f.target(), example.contrast().answer());
      }
      if (example.contrast().corruptedAnswer() != null) {
        line.addProperty(f.corruptedTarget(), example.contrast().corruptedAnswer());
      }
    }
    if (example.ids() != null) {
      JsonArray ids = new JsonArray();
      for (long id : example.ids()) {
        ids.add(id);
      }
      line.add(f.ids(), ids);
    }
    return line;
  }

  /** What an example carries; every example of a materialised dataset must have the same. */
  record Shape(boolean text, boolean completion, boolean label, boolean group, List<String> labels, boolean choices,
      boolean contrast, boolean target, boolean corruptedTarget, boolean ids) {
    static Shape of(Example e) {
      boolean contrast = e.contrast() != null;
      return new Shape(e.text() != null && e.completion() == null, e.completion() != null, e.label() != null,
          e.group() != null, List.copyOf(e.labels().keySet()), e.choices() != null,
          contrast && e.contrast().corrupted() != null, contrast && e.contrast().answer() != null,
          contrast && e.contrast().corruptedAnswer() != null, e.ids() != null);
    }

    /** The fields to read the written file with. */
    Fields fields() {
      Fields f = Fields.MATERIALISED;
      return new Fields(text ? f.text() : "", label ? f.label() : "", group ? f.group() : "", f.id(), labels,
          completion ? f.prompt() : "", completion ? f.response() : "", choices ? f.choices() : List.of(),
          choices ? f.answer() : "", contrast ? f.corrupted() : "", target ? f.target() : "",
          corruptedTarget ? f.corruptedTarget() : "", ids ? f.ids() : "");
    }
  }
}
