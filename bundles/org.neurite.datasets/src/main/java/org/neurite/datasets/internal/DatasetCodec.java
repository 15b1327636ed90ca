package org.neurite.datasets.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.StoredFile;
import org.neurite.api.context.ValueFiles;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.value.ValueCodec;
import org.osgi.service.component.annotations.Component;

/**
 * The persisted form of every {@link Dataset}: a dataset read from a file is recorded by its path
 * and content hash (the file is not copied); any other dataset -- one a plugin built -- is written
 * out once as a JSONL artifact and recorded as that file. Restoring checks the file's hash.
 */
@Component(service = ValueCodec.class, property = ValueCodec.TYPE_PROPERTY + "=dataset")
public final class DatasetCodec implements ValueCodec<Dataset> {
  static final String TYPE = "dataset";

  @Override
  public String typeName() {
    return TYPE;
  }

  @Override
  public Class<Dataset> type() {
    return Dataset.class;
  }

  @Override
  public String persist(Dataset value, ValueFiles files) throws Exception {
    if (value instanceof FileDataset file) {
      return file.persistedForm();
    }
    Materialised.Shape[] shape = new Materialised.Shape[1];
    StoredFile stored = files.write(value.name() + ".jsonl", "dataset", temporary -> shape[0] = materialise(value, temporary));
    Fields fields = shape[0] == null ? new Fields("text", "", "", "id") : shape[0].fields();
    JsonObject form = JsonParser.parseString(new FileDataset(value.name(), "jsonl", Path.of(stored.path()), stored.sha256(),
        FileDatasetStep.fieldsOption(fields)).persistedForm()).getAsJsonObject();
    form.addProperty("stored", true);
    return form.toString();
  }

  @Override
  public Dataset restore(String form, ValueFiles files) {
    JsonObject json = JsonParser.parseString(form).getAsJsonObject();
    FileDataset dataset = FileDataset.fromPersistedForm(form);
    if (json.has("stored") && json.get("stored").getAsBoolean()) {
      Path file = files.read(new StoredFile(dataset.path().toString(), dataset.contentHash()));
      return dataset.at(file);
    }
    if (!Files.isRegularFile(dataset.path())) {
      throw new NeuriteException("Dataset file " + dataset.path() + " of an earlier run is gone; restore it, or run with"
          + " --no-cache to read the current files.");
    }
    String now = files.workspace().contentHash(dataset.path());
    if (!now.equals(dataset.contentHash())) {
      throw new NeuriteException("Dataset file " + dataset.path() + " changed since the run that read it (SHA-256 "
          + dataset.contentHash() + ", now " + now + "); run with --no-cache to read it again.");
    }
    return dataset;
  }

  @Override
  public String describe(String form) {
    FileDataset dataset = FileDataset.fromPersistedForm(form);
    return dataset.format() + " dataset " + dataset.name() + " (" + dataset.path() + ", sha256 "
        + dataset.contentHash().substring(0, 12) + ")";
  }

  /** Writes every example as a JSON line; all must carry the same kinds of fields. Returns their shape, or null if none. */
  private static Materialised.Shape materialise(Dataset dataset, Path file) throws Exception {
    Materialised.Shape shape = null;
    try (Stream<Example> examples = dataset.examples();
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Example example : (Iterable<Example>) examples::iterator) {
        Materialised.Shape mine = Materialised.Shape.of(example);
        if (shape == null) {
          shape = mine;
        } else if (!shape.equals(mine)) {
          throw new IllegalStateException("dataset " + dataset.name() + " mixes examples of different kinds (example "
              + example.id() + " is " + mine + ", the first was " + shape + "); a dataset's examples must carry the"
              + " same fields to be recorded");
        }
        out.write(Materialised.line(example).toString());
        out.write('\n');
      }
    }
    return shape;
  }
}
