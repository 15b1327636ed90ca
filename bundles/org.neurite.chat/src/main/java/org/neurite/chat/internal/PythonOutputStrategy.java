package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * Prints {@code {{ expression }}} as jinja2 does ({@link PythonRepr#str}) instead of as jinjava
 * does ({@code true}, {@code 1.0E-5}, ...). No autoescaping: Hugging Face renders without it.
 */
final class PythonOutputStrategy implements ExpressionStrategy {
  private static final long serialVersionUID = 1L;

  @Override
  public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
    Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
    return new RenderedOutputNode(PythonRepr.str(value));
  }
}
