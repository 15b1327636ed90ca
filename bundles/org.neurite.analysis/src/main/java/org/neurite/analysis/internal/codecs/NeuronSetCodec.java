package org.neurite.analysis.internal.codecs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.neurite.api.analysis.NeuronSet;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.value.ValueCodec;
import org.neurite.support.units.NeuronSetFiles;
import org.osgi.service.component.annotations.Component;

/** A {@link NeuronSet} is recorded as its JSON file ({@code neurons.json}), referred to by path and hash. */
@Component(service = ValueCodec.class, property = ValueCodec.TYPE_PROPERTY + "=neuron-set")
public final class NeuronSetCodec implements ValueCodec<NeuronSet> {
  @Override
  public String typeName() {
    return "neuron-set";
  }

  @Override
  public Class<NeuronSet> type() {
    return NeuronSet.class;
  }

  @Override
  public String persist(NeuronSet value, ValueFiles files) throws Exception {
    StoredFile file = files.write("neurons.json", "neuron-set", temporary -> NeuronSetFiles.write(value, temporary));
    return StoredForms.form(file, value.name(), "units", value.members().size());
  }

  @Override
  public NeuronSet restore(String form, ValueFiles files) {
    return NeuronSetFiles.read(files.read(StoredForms.file(form)));
  }

  @Override
  public String describe(String form) {
    JsonObject json = JsonParser.parseString(form).getAsJsonObject();
    return "neuron set " + json.get("name").getAsString() + " (" + json.get("units").getAsInt() + " members, "
        + json.get("path").getAsString() + ")";
  }
}
