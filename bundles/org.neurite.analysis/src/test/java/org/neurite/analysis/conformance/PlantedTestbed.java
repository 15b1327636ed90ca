package org.neurite.analysis.conformance;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * The planted-unit testbed loaded through the real repository, Llama family and DJL backend, with
 * its examples: sentences of each group's vocabulary, each with a corrupted copy of the same token
 * length (every word replaced by the same-numbered word of the next group) for patching methods.
 */
public class PlantedTestbed implements AutoCloseable {
  /** The one backend of a test JVM. */
  public static final DjlTensorBackend BACKEND = new DjlTensorBackend();

  public final PlantedModel planted;
  public final ModelRepositoryComponent repository;
  public final LanguageModel model;
  public final List<Example> examples;

  /**
   * @param dir a folder the model and dataset are written into
   * @param perGroup sentences per group (12 words each)
   */
  public PlantedTestbed(Path dir, PlantedModel planted, String dtype, int perGroup) throws Exception {
    this.planted = planted;
    Path folder = planted.write(dir.resolve("models/planted"));
    repository = new ModelRepositoryComponent(BACKEND, WorkspaceFolders.of(dir));
    repository.addFamily(new LlamaFamily());
    model = repository.load(folder.toString(), new LoadOptions("cpu", dtype));
    examples = new ArrayList<>();
    List<String> lines = Files.readAllLines(planted.writeDataset(dir.resolve("datasets/planted.jsonl"), perGroup, 12, 5));
    long line = 0;
    for (String text : lines) {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      line++;
      String sentence = json.get("text").getAsString();
      examples.add(new Example(line, Long.toString(line), sentence, null, json.get("lang").getAsString(), null, null,
          null, new Example.Contrast(corrupted(sentence), null, null), null));
    }
  }

  /** Each word {@code gK_W} replaced by {@code g(K+1 mod G)_W}. */
  private String corrupted(String sentence) {
    StringBuilder out = new StringBuilder();
    for (String word : sentence.split(" ")) {
      int underscore = word.indexOf('_');
      int group = Integer.parseInt(word.substring(1, underscore));
      int index = Integer.parseInt(word.substring(underscore + 1));
      out.append(out.length() == 0 ? "" : " ").append(PlantedModel.word((group + 1) % planted.groupNames().size(), index));
    }
    return out.toString();
  }

  /** The examples in batches of {@code size}, grouped by their group field. */
  public Iterable<Batches.Batch> batches(int size, TokenBatch.Padding padding) {
    return () -> batcher(examples.stream(), size, padding);
  }

  /** A batcher over some examples, as the analysis steps batch them. */
  public Batches batcher(Stream<Example> some, int size, TokenBatch.Padding padding) {
    return new Batches(some, new Tokenization(model, 64), "group", size, padding);
  }

  public Stream<Example> stream() {
    return examples.stream();
  }

  @Override
  public void close() {
    repository.close();
  }
}
