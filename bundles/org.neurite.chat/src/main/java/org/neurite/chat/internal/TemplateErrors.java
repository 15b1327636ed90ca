package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.nio.file.Path;
import java.util.Optional;
import org.neurite.api.NeuriteException;

/**
 * Turns what went wrong in a render into one message naming the model folder, the template's file
 * and the template's own words. jinja2 stops at the first error; jinjava records errors and goes
 * on, so the first one recorded is the one jinja2 would have raised.
 */
final class TemplateErrors {
  private final Path folder;
  private final TemplateEntry entry;

  TemplateErrors(Path folder, TemplateEntry entry) {
    this.folder = folder;
    this.entry = entry;
  }

  /** The error of the render, if it had one that jinja2 would have raised. */
  Optional<NeuriteException> of(RenderResult result) {
    for (TemplateError error : result.getErrors()) {
      Optional<String> raised = raised(error.getException());
      if (raised.isPresent()) {
        return Optional.of(rejected(raised.get()));
      }
      if (error.getSeverity() == TemplateError.ErrorType.FATAL || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
        return Optional.of(invalid("line " + error.getLineno() + ": " + error.getMessage(), null));
      }
    }
    return Optional.empty();
  }

  /** The template's raise_exception(message). */
  NeuriteException rejected(String message) {
    return new NeuriteException(where() + " rejects this conversation: " + message);
  }

  /** A template that is not valid Jinja, or fails while rendering. */
  NeuriteException invalid(String message, Throwable cause) {
    return new NeuriteException(where() + " cannot be rendered: " + message
        + " (see docs/generation.md, Chat templates, for what Neurite supports)", cause);
  }

  private String where() {
    String file = folder.relativize(entry.source()).toString();
    String template = entry.inConfig() && !entry.name().equals(ModelFolderTemplates.DEFAULT)
        ? "the chat template \"" + entry.name() + "\" in " + file
        : "the chat template in " + file;
    return "Model folder " + folder + ": " + template;
  }

  private static Optional<String> raised(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TemplateRaise raise) {
        return Optional.of(raise.getMessage());
      }
    }
    return Optional.empty();
  }
}
