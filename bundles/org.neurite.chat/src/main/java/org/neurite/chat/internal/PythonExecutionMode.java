package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.mode.ExecutionMode;

/** jinjava's default execution, with expressions printed the way jinja2 prints them. */
final class PythonExecutionMode implements ExecutionMode {
  @Override
  public void prepareContext(Context context) {
    context.setExpressionStrategy(new PythonOutputStrategy());
  }
}
