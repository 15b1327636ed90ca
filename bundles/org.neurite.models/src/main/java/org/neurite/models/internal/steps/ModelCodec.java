package org.neurite.models.internal.steps;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.value.ValueCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The persisted form of a {@link LanguageModel}: its identity -- name, folder, content hash, device
 * and dtype. Restoring loads it again through the repository (sharing an instance already loaded)
 * and refuses weights that changed since.
 */
@Component(service = ValueCodec.class, property = ValueCodec.TYPE_PROPERTY + "=model")
public final class ModelCodec implements ValueCodec<LanguageModel> {
  private final ModelRepository repository;

  @Activate
  public ModelCodec(@Reference ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public String typeName() {
    return "model";
  }

  @Override
  public Class<LanguageModel> type() {
    return LanguageModel.class;
  }

  @Override
  public String persist(LanguageModel model, ValueFiles files) {
    JsonObject form = new JsonObject();
    form.addProperty("name", model.name());
    form.addProperty("folder", model.source().toString());
    form.addProperty("sha256", model.contentHash());
    form.addProperty("device", model.device());
    form.addProperty("dtype", model.spec().dtype());
    return form.toString();
  }

  @Override
  public LanguageModel restore(String persisted, ValueFiles files) {
    JsonObject form = JsonParser.parseString(persisted).getAsJsonObject();
    String folder = form.get("folder").getAsString();
    LanguageModel model = repository.load(folder, new LoadOptions(files.device(), form.get("dtype").getAsString()));
    String recorded = form.get("sha256").getAsString();
    if (!model.contentHash().equals(recorded)) {
      throw new NeuriteException("The model in " + folder + " changed after it was recorded (sha256 " + recorded
          + ", now " + model.contentHash() + "); run again with --no-cache.");
    }
    return model;
  }

  @Override
  public String describe(String persisted) {
    JsonObject form = JsonParser.parseString(persisted).getAsJsonObject();
    return "model " + form.get("name").getAsString() + " (" + form.get("folder").getAsString() + ", "
        + form.get("dtype").getAsString() + ", sha256 " + form.get("sha256").getAsString().substring(0, 12) + ")";
  }
}
