package org.neurite.analysis.internal.codecs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.neurite.analysis.capture.Positions;
import org.neurite.analysis.intervene.Abstention;
import org.neurite.analysis.intervene.IntervenedModel;
import org.neurite.analysis.intervene.Intervention;
import org.neurite.analysis.intervene.Operation;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.value.ValueCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An {@link IntervenedModel} is recorded as its base model's form (through the model codec) plus
 * its interventions: hook point, units, operation and positions. Arrays an operation carries
 * (means, directions) are kept inline; patching from another input's values cannot be recorded.
 */
@Component(service = ValueCodec.class, property = ValueCodec.TYPE_PROPERTY + "=intervened-model")
public final class IntervenedModelCodec implements ValueCodec<IntervenedModel> {
  private final ValueCodec<LanguageModel> models;

  @Activate
  public IntervenedModelCodec(@Reference(target = "(neurite.value.type=model)")
      ValueCodec<LanguageModel> models) {
    this.models = models;
  }

  @Override
  public String typeName() {
    return "intervened-model";
  }

  @Override
  public Class<IntervenedModel> type() {
    return IntervenedModel.class;
  }

  @Override
  public String persist(IntervenedModel value, ValueFiles files) throws Exception {
    JsonObject form = new JsonObject();
    form.add("base", JsonParser.parseString(models.persist(value.base(), files)));
    form.addProperty("label", value.label());
    JsonArray list = new JsonArray();
    for (Intervention i : value.interventions()) {
      JsonObject o = new JsonObject();
      o.addProperty("hook", i.hook());
      JsonArray units = new JsonArray();
      for (int u : i.units()) {
        units.add(u);
      }
      o.add("units", units);
      o.add("operation", operation(i.operation()));
      o.addProperty("positions", i.positions().name().toLowerCase());
      list.add(o);
    }
    form.add("interventions", list);
    if (!value.abstentions().isEmpty()) {
      JsonArray boxes = new JsonArray();
      for (Abstention a : value.abstentions()) {
        JsonObject o = new JsonObject();
        o.addProperty("hook", a.hook());
        o.add("low", doubles(a.low()));
        o.add("high", doubles(a.high()));
        o.addProperty("reason", a.reason());
        o.addProperty("text", a.text());
        boxes.add(o);
      }
      form.add("abstentions", boxes);
    }
    return form.toString();
  }

  @Override
  public IntervenedModel restore(String persisted, ValueFiles files) throws Exception {
    JsonObject form = JsonParser.parseString(persisted).getAsJsonObject();
    LanguageModel base = models.restore(form.get("base").toString(), files);
    List<Intervention> interventions = new ArrayList<>();
    for (JsonElement e : form.getAsJsonArray("interventions")) {
      JsonObject o = e.getAsJsonObject();
      int[] units = new int[o.getAsJsonArray("units").size()];
      for (int k = 0; k < units.length; k++) {
        units[k] = o.getAsJsonArray("units").get(k).getAsInt();
      }
      interventions.add(new Intervention(o.get("hook").getAsString(), units, operation(o.getAsJsonObject("operation")),
          Positions.parse(o.get("positions").getAsString(), "recorded intervention")));
    }
    List<Abstention> abstentions = new ArrayList<>();
    if (form.has("abstentions")) {
      for (JsonElement e : form.getAsJsonArray("abstentions")) {
        JsonObject o = e.getAsJsonObject();
        abstentions.add(new Abstention(o.get("hook").getAsString(), doubles(o.getAsJsonArray("low")),
            doubles(o.getAsJsonArray("high")), o.get("reason").getAsString(), o.get("text").getAsString()));
      }
    }
    return new IntervenedModel(base, interventions, abstentions, form.get("label").getAsString());
  }

  @Override
  public String describe(String persisted) {
    JsonObject form = JsonParser.parseString(persisted).getAsJsonObject();
    return "model " + form.getAsJsonObject("base").get("name").getAsString() + " with "
        + form.getAsJsonArray("interventions").size() + " interventions (" + form.get("label").getAsString() + ")";
  }

  private static JsonObject operation(Operation op) {
    JsonObject o = new JsonObject();
    if (op instanceof Operation.Zero) {
      o.addProperty("kind", "zero");
    } else if (op instanceof Operation.Scale s) {
      o.addProperty("kind", "scale");
      o.addProperty("factor", s.factor());
    } else if (op instanceof Operation.Clamp c) {
      o.addProperty("kind", "clamp");
      o.addProperty("value", c.value());
    } else if (op instanceof Operation.Threshold t) {
      o.addProperty("kind", "threshold");
      o.addProperty("threshold", t.threshold());
    } else if (op instanceof Operation.Mean m) {
      o.addProperty("kind", "mean");
      o.add("means", floats(m.means()));
    } else if (op instanceof Operation.Add a) {
      o.addProperty("kind", "add");
      o.addProperty("alpha", a.alpha());
      o.add("direction", floats(a.direction()));
    } else if (op instanceof Operation.Remap r) {
      o.addProperty("kind", "remap");
      o.add("mu_retain", doubles(r.muRetain()));
      o.add("s_retain", doubles(r.sRetain()));
      o.add("mu_forget", doubles(r.muForget()));
      o.add("s_forget", doubles(r.sForget()));
      o.addProperty("seed", r.seed());
      o.addProperty("one_per_pass", r.onePerPass());
    } else {
      throw new IllegalStateException("a patching intervention carries another input's values and cannot be recorded"
          + " as a workflow value; evaluate it inside the step that made it");
    }
    return o;
  }

  private static Operation operation(JsonObject o) {
    return switch (o.get("kind").getAsString()) {
      case "zero" -> new Operation.Zero();
      case "scale" -> new Operation.Scale(o.get("factor").getAsDouble());
      case "clamp" -> new Operation.Clamp(o.get("value").getAsDouble());
      case "threshold" -> new Operation.Threshold(o.get("threshold").getAsDouble());
      case "mean" -> new Operation.Mean(floats(o.getAsJsonArray("means")));
      case "add" -> new Operation.Add(floats(o.getAsJsonArray("direction")), o.get("alpha").getAsDouble());
      case "remap" -> new Operation.Remap(doubles(o.getAsJsonArray("mu_retain")), doubles(o.getAsJsonArray("s_retain")),
          doubles(o.getAsJsonArray("mu_forget")), doubles(o.getAsJsonArray("s_forget")), o.get("seed").getAsLong(),
          o.get("one_per_pass").getAsBoolean());
      default -> throw new NeuriteException("A recorded intervention has the unknown operation " + o.get("kind")
          + "; it was recorded by a newer Neurite. Run again with --no-cache.");
    };
  }

  private static JsonArray floats(float[] values) {
    JsonArray array = new JsonArray();
    for (float v : values) {
      array.add(v);
    }
    return array;
  }

  private static JsonArray doubles(double[] values) {
    JsonArray array = new JsonArray();
    for (double v : values) {
      array.add(v);
    }
    return array;
  }

  private static double[] doubles(JsonArray array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).getAsDouble();
    }
    return out;
  }

  private static float[] floats(JsonArray array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).getAsFloat();
    }
    return out;
  }
}
