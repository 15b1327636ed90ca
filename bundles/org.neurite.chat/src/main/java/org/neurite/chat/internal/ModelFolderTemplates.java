package org.neurite.chat.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.chat.ChatTemplate;

/**
 * The chat templates of one model folder, found the way transformers finds them. Files win:
 * {@code chat_template.jinja} is the default and {@code additional_chat_templates/NAME.jinja} are
 * named ones; when there are none, {@code chat_template} in tokenizer_config.json (text, or a list of
 * {@code {"name", "template"}}); when that is missing too, a processor's {@code chat_template.json}.
 */
public final class ModelFolderTemplates {
  static final String DEFAULT = "default";
  private static final System.Logger LOG = System.getLogger(ModelFolderTemplates.class.getName());

  private final Path folder;
  private final Map<String, TemplateEntry> templates;
  private final Map<String, Object> specialTokens;
  private final HfJinja jinja;

  private ModelFolderTemplates(Path folder, Map<String, TemplateEntry> templates, Map<String, Object> specialTokens) {
    this.folder = folder;
    this.templates = templates;
    this.specialTokens = specialTokens;
    this.jinja = templates.isEmpty() ? null : HfJinja.create();
  }

  public static ModelFolderTemplates read(Path modelFolder) {
    Path folder = modelFolder.toAbsolutePath().normalize();
    if (!Files.exists(folder)) {
      throw new NeuriteException("Model folder " + folder + " does not exist");
    }
    if (!Files.isDirectory(folder)) {
      throw new NeuriteException(folder + " is not a folder; pass the model folder that holds tokenizer_config.json");
    }
    JsonObject config = json(folder.resolve("tokenizer_config.json"));
    JsonObject tokenMap = json(folder.resolve("special_tokens_map.json"));
    Map<String, TemplateEntry> templates = fileTemplates(folder);
    if (templates.isEmpty() && config != null) {
      templates = configTemplates(folder.resolve("tokenizer_config.json"), config);
    }
    if (templates.isEmpty()) {
      JsonObject processor = json(folder.resolve("chat_template.json"));
      if (processor != null) {
        templates = configTemplates(folder.resolve("chat_template.json"), processor);
      }
    }
    Map<String, TemplateEntry> found = templates;
    LOG.log(System.Logger.Level.DEBUG, () -> "chat templates of " + folder + ": " + found.keySet());
    return new ModelFolderTemplates(folder, templates, SpecialTokens.of(config, tokenMap));
  }

  public Optional<ChatTemplate> defaultTemplate() {
    if (templates.isEmpty()) {
      return Optional.empty();
    }
    if (!templates.containsKey(DEFAULT)) {
      throw new NeuriteException("Model folder " + folder + " has chat templates named " + String.join(", ", templates.keySet())
          + " and none named default; choose one by name");
    }
    return named(DEFAULT);
  }

  public Optional<ChatTemplate> named(String name) {
    TemplateEntry entry = templates.get(name);
    return entry == null ? Optional.empty() : Optional.of(new JinjaChatTemplate(folder, entry, specialTokens, jinja, null));
  }

  public List<String> names() {
    List<String> names = new ArrayList<>();
    if (templates.containsKey(DEFAULT)) {
      names.add(DEFAULT);
    }
    templates.keySet().stream().filter(name -> !name.equals(DEFAULT)).forEach(names::add);
    return names;
  }

  public NeuriteException noTemplate() {
    return new NeuriteException("Model folder " + folder + " has no chat template (no chat_template.jinja, and no"
        + " \"chat_template\" in tokenizer_config.json): this model has no chat template; pass raw prompts, or add the"
        + " template it was trained with as " + folder.resolve("chat_template.jinja"));
  }

  private static Map<String, TemplateEntry> fileTemplates(Path folder) {
    Map<String, TemplateEntry> templates = new LinkedHashMap<>();
    Path main = folder.resolve("chat_template.jinja");
    if (Files.isRegularFile(main)) {
      templates.put(DEFAULT, new TemplateEntry(DEFAULT, main, text(main), false));
    }
    Path additional = folder.resolve("additional_chat_templates");
    if (Files.isDirectory(additional)) {
      try (Stream<Path> files = Files.list(additional)) {
        files.filter(file -> file.getFileName().toString().endsWith(".jinja") && Files.isRegularFile(file))
            .sorted()
            .forEach(file -> {
              String name = file.getFileName().toString().replaceFirst("\\.jinja$", "");
              templates.putIfAbsent(name, new TemplateEntry(name, file, text(file), false));
            });
      } catch (IOException e) {
        throw new NeuriteException("Cannot list " + additional + ": " + e.getMessage(), e);
      }
    }
    return templates;
  }

  private static Map<String, TemplateEntry> configTemplates(Path file, JsonObject config) {
    Map<String, TemplateEntry> templates = new LinkedHashMap<>();
    JsonElement value = config.get("chat_template");
    if (value == null || value.isJsonNull()) {
      return templates;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      templates.put(DEFAULT, new TemplateEntry(DEFAULT, file, value.getAsString(), true));
      return templates;
    }
    if (value.isJsonArray()) {
      for (JsonElement item : value.getAsJsonArray()) {
        JsonObject named = item.isJsonObject() ? item.getAsJsonObject() : null;
        if (named == null || !isString(named.get("name")) || !isString(named.get("template"))) {
          throw badTemplates(file);
        }
        String name = named.get("name").getAsString();
        templates.put(name, new TemplateEntry(name, file, named.get("template").getAsString(), true));
      }
      return templates;
    }
    throw badTemplates(file);
  }

  private static NeuriteException badTemplates(Path file) {
    return new NeuriteException(file + ": \"chat_template\" must be the template's text or a list of"
        + " {\"name\": ..., \"template\": ...}");
  }

  private static boolean isString(JsonElement element) {
    return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
  }

  private static JsonObject json(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonElement json = JsonParser.parseString(text(file));
      if (!json.isJsonObject()) {
        throw new NeuriteException(file + " is not a JSON object");
      }
      return json.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new NeuriteException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NeuriteException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
