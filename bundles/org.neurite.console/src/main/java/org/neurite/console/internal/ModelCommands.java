package org.neurite.console.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelEntry;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.model.Tracer;
import org.neurite.api.workspace.Workspace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code models}, {@code load}, {@code unload} and {@code trace}: models and a look inside them. */
@Component(service = ModelCommands.class)
@GogoCommand(scope = "neurite", function = {"models", "load", "unload", "trace"})
public final class ModelCommands {
  private final ModelRepository repository;
  private final Tracer tracer;
  private final Workspace workspace;

  /** What {@code models} lists. */
  public record ModelList(List<ModelEntry> models) {
    public ModelList {
      models = List.copyOf(models);
    }
  }

  /** One model and, when asked for, its hook points. */
  public record ModelHooks(String name, String summary, List<HookPoint> hooks) {
    public ModelHooks {
      hooks = List.copyOf(hooks);
    }
  }

  /** A model now loaded for this session. */
  public record LoadedModel(String name, String source, long millis, String summary, String sha256,
      boolean hasTokenizer) {}

  /** A model forgotten by {@code unload}. */
  public record UnloadedModel(String name) {}

  /** What {@code trace} wrote; {@code withTarget} when a target logit was differentiated. */
  public record TraceWritten(Tracer.Trace trace, boolean withTarget) {}

  @Activate
  public ModelCommands(@Reference ModelRepository repository, @Reference Tracer tracer,
      @Reference Workspace workspace) {
    this.workspace = workspace;
    this.repository = repository;
    this.tracer = tracer;
  }

  @Descriptor("list loaded models, the folders under the workspace's models/, and shipped models")
  public ModelList models() {
    return new ModelList(repository.models());
  }

  @Descriptor("list a model's hook points with their shapes (loads it if needed)")
  public ModelHooks models(
      @Descriptor("show hook points") @Parameter(names = {"-k", "--hooks"}, presentValue = "true", absentValue = "false")
          boolean hooks,
      @Descriptor("the model: a folder or a name from `models`") String model) {
    LanguageModel loaded = repository.load(model, LoadOptions.defaults());
    return new ModelHooks(loaded.name(), loaded.spec().summary(), hooks ? loaded.spec().hookPoints() : List.of());
  }

  @Descriptor("load a model and keep it for this session")
  public LoadedModel load(
      @Descriptor("compute type: float32 or float64") @Parameter(names = {"--dtype"}, absentValue = "float32") String dtype,
      @Descriptor("device: cpu or cuda:N") @Parameter(names = {"-d", "--device"}, absentValue = "cpu") String device,
      @Descriptor("the model: a folder (config.json + safetensors) or a name from `models`") String model) {
    long started = System.nanoTime();
    LanguageModel loaded = repository.load(model, new LoadOptions(device, dtype));
    return new LoadedModel(loaded.name(), loaded.source().toString(), (System.nanoTime() - started) / 1_000_000,
        loaded.spec().summary(), loaded.contentHash(), loaded.tokenizer().isPresent());
  }

  @Descriptor("forget a loaded model and free its memory")
  public UnloadedModel unload(@Descriptor("the loaded model's name") String model) {
    if (!repository.unload(model)) {
      throw new NeuriteException("No model named " + model + " is loaded; `models` lists the loaded ones.");
    }
    return new UnloadedModel(model);
  }

  @Descriptor("run one sequence through a model and write its activations (and, with --target, gradients) to a"
      + " safetensors file: the logits or last hidden state, every blocks.L.mlp.hook_post and blocks.L.hook_resid_post,"
      + " and the gradient of the last position's target logit with respect to each mlp.hook_post")
  public TraceWritten trace(
      @Descriptor("token ids, comma-separated") @Parameter(names = {"--ids"}, absentValue = "") String ids,
      @Descriptor("text to tokenize with the model's tokenizer.json") @Parameter(names = {"--text"}, absentValue = "")
          String text,
      @Descriptor("target token (an id, or a text that is one token) whose last-position logit is differentiated")
      @Parameter(names = {"--target"}, absentValue = "") String target,
      @Descriptor("the safetensors file to write") @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
      @Descriptor("compute type: float32 or float64") @Parameter(names = {"--dtype"}, absentValue = "float32") String dtype,
      @Descriptor("device: cpu or cuda:N") @Parameter(names = {"-d", "--device"}, absentValue = "cpu") String device,
      @Descriptor("the model: a folder or a name from `models`") String model) throws Exception {
    if (out.isEmpty()) {
      throw new NeuriteException("trace needs --out FILE.safetensors: where to write the trace.");
    }
    if (ids.isEmpty() == text.isEmpty()) {
      throw new NeuriteException("trace needs exactly one of --ids 3,17,42 or --text \"...\".");
    }
    LanguageModel loaded = repository.load(model, new LoadOptions(device, dtype));
    long[] tokens = ids.isEmpty() ? tokenizer(loaded).encode(text) : parseIds(ids);
    Path file = workspace.output(out);
    Tracer.Trace trace = tracer.trace(loaded, tokens, target(loaded, target), file);
    return new TraceWritten(trace, !target.isEmpty());
  }

  private static TextTokenizer tokenizer(LanguageModel model) {
    return model.tokenizer().orElseThrow(() -> new NeuriteException("Model " + model.name() + " has no tokenizer.json"
        + " in " + model.source() + "; give token ids with --ids."));
  }

  static long[] parseIds(String ids) {
    try {
      return Arrays.stream(ids.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong)
          .toArray();
    } catch (NumberFormatException e) {
      throw new NeuriteException("--ids must be token ids separated by commas, e.g. --ids 3,17,42; got '" + ids + "'.");
    }
  }

  private static OptionalLong target(LanguageModel model, String target) {
    if (target.isEmpty()) {
      return OptionalLong.empty();
    }
    if (target.matches("-?\\d+")) {
      return OptionalLong.of(Long.parseLong(target));
    }
    long[] encoded = tokenizer(model).encode(target, false);
    if (encoded.length != 1) {
      throw new NeuriteException("--target '" + target + "' is " + encoded.length + " tokens for " + model.name()
          + "'s tokenizer; give one token, or its id.");
    }
    return OptionalLong.of(encoded[0]);
  }
}
