package org.neurite.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.neurite.api.model.ModelConfig;
import org.neurite.api.model.ModelSource;
import org.neurite.models.training.TrainableDecoders;

/** Where a run's parameters start: a model folder, or a config and a seed. */
@FunctionalInterface
public interface InitialWeights {
  /** Fresh arrays (owned by {@code manager}, in {@code type}), by Hugging Face name. */
  Map<String, NDArray> create(NDManager manager, DataType type);

  /** Every tensor of a folder, copied (the folder's files are left as they are). */
  static InitialWeights from(ModelSource source) {
    return (manager, type) -> {
      Map<String, NDArray> parameters = new TreeMap<>();
      for (String name : source.tensors().names()) {
        try (NDManager reading = manager.newSubManager()) {
          NDArray stored = source.tensors().load(name, null, type, reading);
          NDArray copy = stored.duplicate();
          copy.attach(manager);
          parameters.put(name, copy);
        }
      }
      return parameters;
    };
  }

  /**
   * As {@code LlamaPreTrainedModel._init_weights} initialises a model, with Java's seeded
   * {@link Random} instead of PyTorch's generator: every matrix (projections, embedding, head) from
   * a normal distribution with mean 0 and standard deviation {@code initializer_range} (0.02), biases
   * 0, norm gains 1. The values are drawn in the order {@link TrainableDecoders#parameterShapes}
   * lists the parameters, in double precision, then rounded to {@code type}.
   */
  static InitialWeights normal(ModelConfig config, long seed) {
    return (manager, type) -> {
      double std = config.number("initializer_range", 0.02);
      Random random = new Random(seed);
      Map<String, NDArray> parameters = new TreeMap<>();
      for (Map.Entry<String, long[]> p : TrainableDecoders.parameterShapes(config).entrySet()) {
        long[] shape = p.getValue();
        int n = (int) new Shape(shape).size();
        double[] values = new double[n];
        if (shape.length == 2) {
          for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian() * std;
          }
        } else if (p.getKey().endsWith("norm.weight")) {
          java.util.Arrays.fill(values, 1.0);
        }
        try (NDArray wide = manager.create(values, new Shape(shape)); NDArray typed = wide.toType(type, true)) {
          parameters.put(p.getKey(), typed.duplicate());
        }
      }
      return parameters;
    };
  }
}
