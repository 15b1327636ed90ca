package org.neurite.chat.internal;

/**
 * What the template's {@code raise_exception(message)} throws. jinjava records an exception thrown
 * in an expression as an error of the render and goes on; the renderer finds this one among the
 * errors and reports its message, as jinja2 reports the TemplateError it raises.
 */
final class TemplateRaise extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TemplateRaise(String message) {
    super(message, null, false, false);
  }
}
