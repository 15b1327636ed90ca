package org.neurite.analysis;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TokenBatch;
import org.neurite.backend.djl.internal.DjlTensorBackend;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;
import org.neurite.testbed.PlantedModel;

/** The planted-unit testbed loaded through the real repository and Llama family, and its examples. */
final class Planted implements AutoCloseable {
  static final DjlTensorBackend BACKEND = new DjlTensorBackend();

  final PlantedModel planted;
  final ModelRepositoryComponent repository;
  final LanguageModel model;
  final List<Example> examples;

  Planted(Path dir, PlantedModel planted, String dtype, int perGroup) throws Exception {
    this.planted = planted;
    Path folder = planted.write(dir.resolve("models/planted"));
    repository = new ModelRepositoryComponent(BACKEND, WorkspaceFolders.of(dir));
    repository.addFamily(new LlamaFamily());
    model = repository.load(folder.toString(), new LoadOptions("cpu", dtype));
    Tokenization tokenization = new Tokenization(model, 64);
    examples = new java.util.ArrayList<>();
    List<String> lines = java.nio.file.Files.readAllLines(planted.writeDataset(dir.resolve("datasets/planted.jsonl"),
        perGroup, 12, 5));
    long line = 0;
    for (String text : lines) {
      var json = com.google.gson.JsonParser.parseString(text).getAsJsonObject();
      line++;
      examples.add(new Example(line, Long.toString(line), json.get("text").getAsString(), null,
          json.get("lang").getAsString()));
    }
  }

  /** The examples in batches of {@code size}, grouped by their group field. */
  Iterable<Batches.Batch> batches(int size, TokenBatch.Padding padding) {
    return () -> new Batches(examples.stream(), new Tokenization(model, 64), "group", size, padding);
  }

  Stream<Example> stream() {
    return examples.stream();
  }

  @Override
  public void close() {
    repository.close();
  }
}
