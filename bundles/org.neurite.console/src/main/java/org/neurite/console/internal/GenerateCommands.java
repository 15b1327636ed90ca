package org.neurite.console.internal;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.generate.Generated;
import org.neurite.api.generate.GenerationHooks;
import org.neurite.api.generate.GenerationOptions;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.workspace.Workspace;
import org.neurite.chat.ChatMessage;
import org.neurite.chat.ChatTemplates;
import org.neurite.support.generate.GenerationRecords;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code generate}: a continuation of one prompt, printed token by token as it is produced. */
@Component(service = GenerateCommands.class)
@GogoCommand(scope = "neurite", function = {"generate"})
public final class GenerateCommands {
  private final ModelRepository repository;
  private final TensorBackend backend;
  private final Workspace workspace;

  /**
   * What {@code generate} produced: the record the {@code generate} step writes, and the file it
   * went to ({@code --out}), or null.
   */
  public record GeneratedText(String model, String output, long[] outputIds, String finishReason, long seed,
      String file) {}

  @Activate
  public GenerateCommands(@Reference ModelRepository repository, @Reference TensorBackend backend,
      @Reference Workspace workspace) {
    this.repository = repository;
    this.backend = backend;
    this.workspace = workspace;
  }

  @Descriptor("generate a continuation of a prompt (greedy unless --temperature is above 0), printing tokens as they"
      + " come; --out writes the generate step's JSON line")
  public GeneratedText generate(
      @Descriptor("the prompt text") @Parameter(names = {"-p", "--prompt"}, absentValue = "") String prompt,
      @Descriptor("the prompt as token ids, comma-separated") @Parameter(names = {"--ids"}, absentValue = "")
          String ids,
      @Descriptor("wrap the prompt as a user message in the model's chat template")
      @Parameter(names = {"-c", "--chat"}, presentValue = "true", absentValue = "false") boolean chat,
      @Descriptor("the most tokens to generate") @Parameter(names = {"-m", "--max-tokens"}, absentValue = "64")
          int maxTokens,
      @Descriptor("0 for greedy decoding, else the sampling temperature")
      @Parameter(names = {"-t", "--temperature"}, absentValue = "0") double temperature,
      @Descriptor("sample from the smallest set of tokens whose probability reaches P (1: all)")
      @Parameter(names = {"--top-p"}, absentValue = "1") double topP,
      @Descriptor("sample from the K most likely tokens (0: all)") @Parameter(names = {"--top-k"}, absentValue = "0")
          int topK,
      @Descriptor("the sampling seed (recorded)") @Parameter(names = {"-s", "--seed"}, absentValue = "0") long seed,
      @Descriptor("the JSON Lines file to write the record to") @Parameter(names = {"-o", "--out"}, absentValue = "")
          String out,
      @Descriptor("device: cpu or cuda:N") @Parameter(names = {"-d", "--device"}, absentValue = "cpu") String device,
      @Descriptor("the model: a folder or a name from `models`") String model) throws Exception {
    if (prompt.isEmpty() == ids.isEmpty()) {
      throw new NeuriteException("generate needs exactly one of --prompt \"...\" or --ids 3,17,42.");
    }
    if (chat && !ids.isEmpty()) {
      throw new NeuriteException("--chat wraps a text prompt in the chat template; give --prompt \"...\" with it, not"
          + " --ids.");
    }
    GenerationOptions options = GenerationOptions.greedy(maxTokens).withTemperature(temperature).withTopP(topP)
        .withTopK(topK).withSeed(seed);
    LanguageModel loaded = repository.load(model, new LoadOptions(device, "float32"));
    TextTokenizer tokenizer = loaded.tokenizer().orElse(null);
    long[] tokens;
    if (ids.isEmpty()) {
      if (tokenizer == null) {
        throw new NeuriteException("Model " + loaded.name() + " has no tokenizer.json in " + loaded.source()
            + "; give the prompt as token ids with --ids.");
      }
      tokens = chat ? tokenizer.encode(ChatTemplates.require(loaded.source())
          .render(List.of(ChatMessage.user(prompt)), true), false) : tokenizer.encode(prompt);
    } else {
      tokens = ModelCommands.parseIds(ids);
    }
    TokenPrinter printer = new TokenPrinter(System.out, tokenizer);
    Generated generated;
    try (NDManager scope = backend.newScope(device)) {
      generated = loaded.generate(List.of(tokens), options, GenerationHooks.none().tokens((row, token) -> printer.add(token)),
          scope).sequences().get(0);
    }
    printer.end();
    String file = null;
    if (!out.isEmpty()) {
      Path target = workspace.output(out);
      String line = GenerationRecords.line("1", ids.isEmpty() ? prompt : null, generated) + "\n";
      workspace.writeAtomically(target, temporary -> Files.writeString(temporary, line, StandardCharsets.UTF_8));
      file = target.toString();
    }
    return new GeneratedText(loaded.name(), generated.text(), generated.outputIds(),
        generated.finishReason().toString(), generated.seed(), file);
  }
}
