package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.RenderResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neurite.chat.ChatMessage;
import org.neurite.chat.ChatTemplate;

/** A model folder's template rendered by jinjava in Hugging Face's environment ({@link HfJinja}). */
final class JinjaChatTemplate implements ChatTemplate {
  private final Path folder;
  private final TemplateEntry entry;
  private final Map<String, Object> specialTokens;
  private final HfJinja jinja;
  private final Clock clock;
  private final TemplateErrors errors;

  /** @param clock null for the system clock in the default time zone, read at each render */
  JinjaChatTemplate(Path folder, TemplateEntry entry, Map<String, Object> specialTokens, HfJinja jinja, Clock clock) {
    this.folder = folder;
    this.entry = entry;
    this.specialTokens = specialTokens;
    this.jinja = jinja;
    this.clock = clock;
    this.errors = new TemplateErrors(folder, entry);
  }

  @Override
  public Path modelFolder() {
    return folder;
  }

  @Override
  public Path source() {
    return entry.source();
  }

  @Override
  public String name() {
    return entry.name();
  }

  @Override
  public String text() {
    return entry.text();
  }

  @Override
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return render(messages, addGenerationPrompt, Map.of());
  }

  @Override
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(variables, "variables");
    Map<String, Object> bindings = TemplateVariables.of(messages, addGenerationPrompt, specialTokens, variables);
    RenderResult result;
    try {
      result = jinja.render(entry.text(), bindings, clock != null ? clock : Clock.systemDefaultZone());
    } catch (RuntimeException e) {
      throw errors.invalid(e.getMessage(), e);
    }
    errors.of(result).ifPresent(error -> {
      throw error;
    });
    return result.getOutput();
  }

  @Override
  public ChatTemplate withClock(Clock clock) {
    return new JinjaChatTemplate(folder, entry, specialTokens, jinja, Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public String toString() {
    return "chat template " + entry.name() + " of " + folder + " (" + entry.source().getFileName() + ")";
  }
}
