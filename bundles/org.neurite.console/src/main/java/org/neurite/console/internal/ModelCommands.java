package org.neurite.console.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
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
@Component(
    service = ModelCommands.class,
    property = {"osgi.command.scope=neurite", "osgi.command.function=models", "osgi.command.function=load",
        "osgi.command.function=unload", "osgi.command.function=trace"})
public final class ModelCommands {
  private final ModelRepository repository;
  private final Tracer tracer;
  private final Workspace workspace;

  @Activate
  public ModelCommands(@Reference ModelRepository repository, @Reference Tracer tracer,
      @Reference Workspace workspace) {
    this.workspace = workspace;
    this.repository = repository;
    this.tracer = tracer;
  }

  @Descriptor("list loaded models, the folders under the workspace's models/, and shipped models")
  public String models() {
    List<ModelEntry> entries = repository.models();
    if (entries.isEmpty()) {
      return "no models: put a Hugging Face folder (config.json + model.safetensors) under models/";
    }
    StringBuilder out = new StringBuilder(String.format("  %-28s %-10s %s%n", "name", "status", "what"));
    for (ModelEntry e : entries) {
      out.append(String.format("  %-28s %-10s %s%n", e.name(), e.status(), e.summary()));
    }
    return out.toString();
  }

  @Descriptor("list a model's hook points with their shapes (loads it if needed)")
  public String models(
      @Descriptor("show hook points") @Parameter(names = {"-k", "--hooks"}, presentValue = "true", absentValue = "false")
          boolean hooks,
      @Descriptor("the model: a folder or a name from `models`") String model) {
    LanguageModel loaded = repository.load(model, LoadOptions.defaults());
    StringBuilder out = new StringBuilder(loaded.name() + ": " + loaded.spec().summary() + "\n");
    if (hooks) {
      for (HookPoint point : loaded.spec().hookPoints()) {
        out.append(String.format("  %-34s %s%n", point.name(), point.shape()));
      }
    }
    return out.toString();
  }

  @Descriptor("load a model and keep it for this session")
  public String load(
      @Descriptor("compute type: float32 or float64") @Parameter(names = {"--dtype"}, absentValue = "float32") String dtype,
      @Descriptor("device: cpu or cuda:N") @Parameter(names = {"-d", "--device"}, absentValue = "cpu") String device,
      @Descriptor("the model: a folder (config.json + safetensors) or a name from `models`") String model) {
    long started = System.nanoTime();
    LanguageModel loaded = repository.load(model, new LoadOptions(device, dtype));
    return "loaded " + loaded.name() + " from " + loaded.source() + " in " + (System.nanoTime() - started) / 1_000_000
        + " ms\n  " + loaded.spec().summary() + "\n  sha256 " + loaded.contentHash()
        + (loaded.tokenizer().isPresent() ? "" : "\n  no tokenizer.json: give token ids (--ids)");
  }

  @Descriptor("forget a loaded model and free its memory")
  public String unload(@Descriptor("the model's name") String name) {
    if (!repository.unload(name)) {
      throw new NeuriteException("No model named " + name + " is loaded; `models` lists the loaded ones.");
    }
    return "unloaded " + name;
  }

  @Descriptor("run one sequence through a model and write its logits (or last hidden state), every "
      + "blocks.L.mlp.hook_post and blocks.L.hook_resid_post, and with --target the gradient of the last "
      + "position's target logit with respect to each mlp.hook_post, to a safetensors file")
  public String trace(
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
    return "wrote " + trace.tensors().size() + " tensors to " + trace.file() + "\n  ids " + Arrays.toString(trace.ids())
        + (target.isEmpty() ? "" : "\n  target logit " + trace.targetLogit())
        + "\n  " + String.join(", ", trace.tensors().subList(0, Math.min(6, trace.tensors().size())))
        + (trace.tensors().size() > 6 ? ", ..." : "");
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
