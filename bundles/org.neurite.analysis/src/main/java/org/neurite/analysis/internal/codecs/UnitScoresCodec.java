package org.neurite.analysis.internal.codecs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.neurite.api.analysis.UnitScores;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.value.ValueCodec;
import org.neurite.support.units.UnitScoresFiles;
import org.osgi.service.component.annotations.Component;

/** {@link UnitScores} are recorded as their safetensors file ({@code scores.safetensors}), by path and hash. */
@Component(service = ValueCodec.class, property = ValueCodec.TYPE_PROPERTY + "=unit-scores")
public final class UnitScoresCodec implements ValueCodec<UnitScores> {
  @Override
  public String typeName() {
    return "unit-scores";
  }

  @Override
  public Class<UnitScores> type() {
    return UnitScores.class;
  }

  @Override
  public String persist(UnitScores value, ValueFiles files) throws Exception {
    StoredFile file = files.write("scores.safetensors", "unit-scores", temporary -> UnitScoresFiles.write(value, temporary));
    return StoredForms.form(file, value.statistic(), "hooks", value.hooks().size());
  }

  @Override
  public UnitScores restore(String form, ValueFiles files) {
    return UnitScoresFiles.read(files.read(StoredForms.file(form)));
  }

  @Override
  public String describe(String form) {
    JsonObject json = JsonParser.parseString(form).getAsJsonObject();
    return "unit scores " + json.get("name").getAsString() + " (" + json.get("hooks").getAsInt() + " hook points, "
        + json.get("path").getAsString() + ")";
  }
}
