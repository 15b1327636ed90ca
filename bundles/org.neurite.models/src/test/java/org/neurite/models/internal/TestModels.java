package org.neurite.models.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Random;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.models.internal.bert.BertFamily;
import org.neurite.models.internal.gemma.GemmaFamily;
import org.neurite.models.internal.neox.GptNeoxFamily;
import org.neurite.models.internal.opt.OptFamily;
import org.neurite.models.internal.phi3.Phi3Family;
import org.neurite.models.internal.gpt2.Gpt2Family;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/** Loading test checkpoints through the real repository and families, and comparing arrays. */
final class TestModels {
  private TestModels() {}

  /** A repository over {@code workspace} with the platform's families and no shipped models. */
  static ModelRepositoryComponent repository(Path workspace) {
    ModelRepositoryComponent repository = new ModelRepositoryComponent(TestBackend.get(), WorkspaceFolders.of(workspace));
    repository.addFamily(new Gpt2Family());
    repository.addFamily(new LlamaFamily());
    repository.addFamily(new BertFamily());
    repository.addFamily(new GemmaFamily());
    repository.addFamily(new Phi3Family());
    repository.addFamily(new GptNeoxFamily());
    repository.addFamily(new OptFamily());
    return repository;
  }

  static LanguageModel load(ModelRepositoryComponent repository, Path folder, String dtype) {
    return repository.load(folder.toString(), new LoadOptions("cpu", dtype));
  }

  /** Row {@code b} of a [batch, pos, width] array as [pos][width], for positions from..from+length. */
  static double[][] rows(NDArray array, int b, int from, int length) {
    int width = (int) array.getShape().get(2);
    int positions = (int) array.getShape().get(1);
    double[] all = array.toType(DataType.FLOAT64, false).toDoubleArray();
    double[][] out = new double[length][width];
    for (int t = 0; t < length; t++) {
      System.arraycopy(all, (b * positions + from + t) * width, out[t], 0, width);
    }
    return out;
  }

  /** max |ours - ref| divided by max |ref|: a difference relative to the values' scale. */
  static double relative(double[][] ours, double[][] ref) {
    double diff = 0;
    double scale = 1e-30;
    for (int i = 0; i < ref.length; i++) {
      for (int j = 0; j < ref[i].length; j++) {
        diff = Math.max(diff, Math.abs(ours[i][j] - ref[i][j]));
        scale = Math.max(scale, Math.abs(ref[i][j]));
      }
    }
    return diff / scale;
  }

  static long[] randomIds(long seed, int length, int vocab) {
    Random random = new Random(seed);
    long[] ids = new long[length];
    for (int i = 0; i < length; i++) {
      ids[i] = random.nextInt(vocab);
    }
    return ids;
  }
}
