package org.neurite.chat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.neurite.chat.internal.ModelFolderTemplates;

/**
 * Finds a model folder's chat templates where transformers looks for them: {@code chat_template.jinja}
 * (which wins over the config), else {@code chat_template} in {@code tokenizer_config.json} (a
 * string, or a list of {@code {"name": ..., "template": ...}}), plus named templates in
 * {@code additional_chat_templates/NAME.jinja}; a processor's {@code chat_template.json} is the last
 * resort. Special tokens come from tokenizer_config.json (and special_tokens_map.json).
 */
public final class ChatTemplates {
  private ChatTemplates() {}

  /**
   * The folder's default template, or empty when it has none.
   *
   * @throws org.neurite.api.NeuriteException when the folder is missing, a file in it cannot be
   *     read, or it has only named templates and none called {@code default}
   */
  public static Optional<ChatTemplate> find(Path modelFolder) {
    return ModelFolderTemplates.read(modelFolder).defaultTemplate();
  }

  /** The folder's template of that name ({@code default}, {@code tool_use}, {@code rag}, ...). */
  public static Optional<ChatTemplate> find(Path modelFolder, String name) {
    return ModelFolderTemplates.read(modelFolder).named(name);
  }

  /**
   * The folder's default template.
   *
   * @throws org.neurite.api.NeuriteException saying the model has no chat template, and what to do
   */
  public static ChatTemplate require(Path modelFolder) {
    ModelFolderTemplates templates = ModelFolderTemplates.read(modelFolder);
    return templates.defaultTemplate().orElseThrow(templates::noTemplate);
  }

  /** The names of the folder's templates, the default first; empty when it has none. */
  public static List<String> names(Path modelFolder) {
    return ModelFolderTemplates.read(modelFolder).names();
  }
}
