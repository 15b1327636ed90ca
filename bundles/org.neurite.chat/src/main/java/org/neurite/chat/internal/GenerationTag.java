package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Hugging Face's {@code {% generation %} ... {% endgeneration %}} (its AssistantTracker extension):
 * it marks the assistant's text for training masks and renders its body unchanged, which is all a
 * prompt needs.
 */
final class GenerationTag implements Tag {
  private static final long serialVersionUID = 1L;

  @Override
  public String getName() {
    return "generation";
  }

  @Override
  public String getEndTagName() {
    return "endgeneration";
  }

  @Override
  public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
    StringBuilder out = new StringBuilder();
    for (Node child : tagNode.getChildren()) {
      out.append(child.render(interpreter).getValue());
    }
    return out.toString();
  }
}
