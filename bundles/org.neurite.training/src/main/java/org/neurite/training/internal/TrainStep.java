package org.neurite.training.internal;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.context.Progress;
import org.neurite.api.context.StepContext;
import org.neurite.api.data.Dataset;
import org.neurite.api.data.Example;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.neurite.support.config.JsonModelConfig;
import org.neurite.training.Batches;
import org.neurite.training.CheckpointStore;
import org.neurite.training.Hyperparameters;
import org.neurite.training.InitialWeights;
import org.neurite.training.StepRecord;
import org.neurite.training.Trainer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code train.lm}: trains a Llama-family model on a dataset's texts (or pre-tokenised ids), starting
 * from a model folder or from a config.json and a seed. Checkpoints are artifacts of the step
 * ({@code checkpoint-NNNNNN/}: a Hugging Face folder plus the optimizer's state); a resumed run continues
 * from the last one its earlier attempt completed. Loss, learning rate and gradient norm are metrics per
 * step (the group is the step's number).
 */
@Component(service = Step.class)
@NeuriteStep(name = "train.lm")
public final class TrainStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("train.lm")
      .summary("trains a Llama-family causal LM with AdamW, warm-up + cosine, clipping; resumable checkpoints")
      .input("dataset", Dataset.class, "the texts (or ids) to train on")
      .param(ParamSpec.optional("model", ParamType.STRING, "\"\"",
          "a Llama-family folder (or model name) to start from; \"\" to initialise from config"))
      .param(ParamSpec.optional("config", ParamType.STRING, "\"\"",
          "a llama config.json to initialise from (normal(0, initializer_range) weights drawn with init_seed)"))
      .param(ParamSpec.optional("init_seed", ParamType.INTEGER, "0", "the seed of the initial weights (with config)"))
      .param(ParamSpec.optional("tokenizer", ParamType.STRING, "\"\"",
          "the tokenizer.json for the texts, copied into every checkpoint; default: the starting folder's, else the"
          + " tokenizer.json beside the dataset's file (as corpus.synthetic writes it)"))
      .param(ParamSpec.optional("split", ParamType.STRING, "\"\"",
          "train only on examples whose 'split' label is this (the dataset step must keep the label); \"\": all"))
      .param(ParamSpec.optional("steps", ParamType.INTEGER, "100", "optimizer steps in all"))
      .param(ParamSpec.optional("batch_size", ParamType.INTEGER, "8", "sequences per step"))
      .param(ParamSpec.optional("lr", ParamType.NUMBER, "0.001", "peak learning rate"))
      .param(ParamSpec.optional("beta1", ParamType.NUMBER, "0.9", "AdamW beta1"))
      .param(ParamSpec.optional("beta2", ParamType.NUMBER, "0.95", "AdamW beta2"))
      .param(ParamSpec.optional("eps", ParamType.NUMBER, "1e-8", "AdamW epsilon"))
      .param(ParamSpec.optional("weight_decay", ParamType.NUMBER, "0.1", "decoupled weight decay of 2-D tensors"))
      .param(ParamSpec.optional("warmup_steps", ParamType.INTEGER, "10", "linear warm-up steps before the cosine"))
      .param(ParamSpec.optional("max_grad_norm", ParamType.NUMBER, "1.0", "clip gradients to this total L2 norm; 0: no clipping"))
      .param(ParamSpec.optional("seed", ParamType.INTEGER, "0", "the seed of the batch order"))
      .param(ParamSpec.optional("dtype", ParamType.STRING, "\"float32\"", "float32 or float64"))
      .param(ParamSpec.optional("checkpoint_every", ParamType.INTEGER, "50", "steps between checkpoints (and the last)"))
      .output("model", LanguageModel.class, "the trained model: the final checkpoint's folder, loaded")
      .build();

  private final ModelRepository repository;

  @Activate
  public TrainStep(@Reference ModelRepository repository) {
    this.repository = repository;
  }

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public Map<String, String> sources(StepContext context) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    String model = context.param("model", String.class);
    if (!model.isBlank()) {
      hashes.put("model", repository.open(model).contentHash());
    }
    for (String file : List.of("config", "tokenizer")) {
      Path path = file(context, file);
      if (path != null) {
        hashes.put(file, context.workspace().contentHash(path));
      }
    }
    return hashes;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    Dataset dataset = context.input("dataset", Dataset.class);
    String modelName = context.param("model", String.class);
    Path configFile = file(context, "config");
    boolean fromFolder = !modelName.isBlank();
    if (fromFolder == (configFile != null)) {
      throw new NeuriteException("Step " + context.stepId() + ": give either 'model' (a folder to start from) or"
          + " 'config' (a config.json to initialise from), not " + (fromFolder ? "both." : "neither."));
    }
    ModelSource source = fromFolder ? repository.open(modelName) : null;
    try {
      String configJson = fromFolder ? source.config().toJson()
          : Files.readString(configFile, StandardCharsets.UTF_8);
      Optional<Path> tokenizer = tokenizer(context, source, dataset);
      Hyperparameters hyper = new Hyperparameters(context.param("lr", Double.class), context.param("beta1", Double.class),
          context.param("beta2", Double.class), context.param("eps", Double.class),
          context.param("weight_decay", Double.class), Math.toIntExact(context.param("warmup_steps", Long.class)),
          Math.toIntExact(context.param("steps", Long.class)), context.param("max_grad_norm", Double.class));
      String dtype = new LoadOptions(context.device(), context.param("dtype", String.class)).dtype();
      long seed = context.param("seed", Long.class);
      long initSeed = context.param("init_seed", Long.class);
      int batchSize = Math.toIntExact(context.param("batch_size", Long.class));
      String split = context.param("split", String.class);
      List<long[]> sequences = sequences(context, dataset, tokenizer, split);
      JsonObject settings = new JsonObject();
      settings.addProperty("start", fromFolder ? "model " + source.contentHash() : "config, init_seed " + initSeed);
      settings.addProperty("dataset", dataset.contentHash());
      settings.addProperty("tokenizer", tokenizer.map(t -> context.workspace().contentHash(t)).orElse(""));
      settings.addProperty("split", split);
      settings.addProperty("examples", sequences.size());
      settings.addProperty("hyperparameters", hyper.toString());
      settings.addProperty("batch_size", batchSize);
      settings.addProperty("seed", seed);
      settings.addProperty("dtype", dtype);
      Trainer.Settings s = new Trainer.Settings(fromFolder ? source.name() : "trained", configJson, tokenizer, hyper,
          dtype, context.device(), Math.toIntExact(context.param("checkpoint_every", Long.class)), settings.toString());
      InitialWeights initial = fromFolder ? InitialWeights.from(source)
          : InitialWeights.normal(JsonModelConfig.of(configJson, configFile.toString()), initSeed);
      CheckpointStore store = new CheckpointStore() {
        @Override
        public Path write(String folder, String fileName, org.neurite.api.step.ArtifactWriter writer) throws Exception {
          return context.artifacts().write(folder + "/" + fileName, "checkpoint", writer);
        }

        @Override
        public Path root() {
          return context.artifacts().folder();
        }
      };
      Trainer.Result result;
      try (Progress progress = context.progress("training", hyper.totalSteps())) {
        result = Trainer.train(s, initial, Batches.shuffled(sequences, batchSize, seed), store, context.backend(),
            new Trainer.Listener() {
              @Override
              public void checkCancelled() {
                context.checkCancelled();
              }

              @Override
              public void resumed(int step, List<StepRecord> history) {
                history.forEach(r -> record(context, r));
                progress.advance(step);
              }

              @Override
              public void stepDone(StepRecord record) {
                record(context, record);
                progress.advance(1);
              }
            });
      }
      LanguageModel trained = repository.load(result.checkpoint().toString(), new LoadOptions(context.device(), dtype));
      context.metric("resumed_from", "", result.resumedFrom());
      context.source("model", trained.name(), result.checkpoint().toString(), trained.contentHash(),
          "{\"trained_steps\": " + hyper.totalSteps() + ", \"resumed_from\": " + result.resumedFrom() + "}");
      return StepResult.of("model", trained);
    } finally {
      if (source instanceof AutoCloseable files) {
        files.close();
      }
    }
  }

  private static void record(StepContext context, StepRecord r) {
    String group = Integer.toString(r.step());
    context.metric("loss", group, r.loss());
    context.metric("lr", group, r.lr());
    context.metric("grad_norm", group, r.gradNorm());
    context.metric("clipped", group, r.clipped() ? 1 : 0);
  }

  private static Optional<Path> tokenizer(StepContext context, ModelSource source, Dataset dataset) {
    Path given = file(context, "tokenizer");
    if (given != null) {
      return Optional.of(given);
    }
    if (source != null && source.tokenizerFile().isPresent()) {
      return source.tokenizerFile();
    }
    Path beside = dataset.path().resolveSibling("tokenizer.json");
    return Files.isRegularFile(beside) ? Optional.of(beside) : Optional.empty();
  }

  /** The file a parameter names (by the workspace's rule), or null for "". */
  private static Path file(StepContext context, String param) {
    String name = context.param(param, String.class);
    if (name.isBlank()) {
      return null;
    }
    Path file = context.workspace().locate(name, param + " file");
    if (!Files.isRegularFile(file)) {
      throw new NeuriteException("Step " + context.stepId() + ": the " + param + " file '" + name + "' does not exist ("
          + file + "); name a " + (param.equals("config") ? "config.json" : "tokenizer.json") + ".");
    }
    return file;
  }

  /** Every example's ids: given, or its text tokenised; examples with fewer than 2 tokens are skipped. */
  private static List<long[]> sequences(StepContext context, Dataset dataset, Optional<Path> tokenizerFile,
      String split) {
    List<long[]> sequences = new ArrayList<>();
    try (NDManager owner = context.backend().newScope("cpu"); Stream<Example> examples = dataset.examples()) {
      TextTokenizer tokenizer = tokenizerFile.map(f -> context.backend().tokenizer(f, owner)).orElse(null);
      examples.forEach(e -> {
        context.checkCancelled();
        if (!split.isEmpty()) {
          String label = e.labelOf("split").orElseThrow(() -> new NeuriteException("Step " + context.stepId()
              + ": example " + e.id() + " of " + dataset.path() + " has no 'split' label; add \"split\" to the dataset"
              + " step's labels, or set split to \"\"."));
          if (!label.equals(split)) {
            return;
          }
        }
        long[] ids = e.tokenIds().orElse(null);
        if (ids == null) {
          if (tokenizer == null) {
            throw new NeuriteException("Step " + context.stepId() + ": example " + e.id() + " has a text and no ids, and"
                + " there is no tokenizer; set the step's tokenizer parameter.");
          }
          ids = tokenizer.encode(e.text(), false);
        }
        if (ids.length >= 2) {
          sequences.add(ids);
        }
      });
    }
    if (sequences.isEmpty()) {
      throw new NeuriteException("Step " + context.stepId() + ": " + dataset.path() + " has no example of at least 2"
          + " tokens" + (split.isEmpty() ? "" : " in split '" + split + "'") + " to train on.");
    }
    return sequences;
  }
}
