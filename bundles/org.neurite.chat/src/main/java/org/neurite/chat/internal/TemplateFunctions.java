package org.neurite.chat.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.time.Clock;
import java.time.ZonedDateTime;

/**
 * The globals Hugging Face gives every chat template: {@code raise_exception(message)} and
 * {@code strftime_now(format)}. jinjava calls functions as static methods; the clock of the render
 * comes from its context, where {@link HfJinja} puts it.
 */
public final class TemplateFunctions {
  static final String CLOCK = "__neurite_clock__";

  private TemplateFunctions() {}

  public static Object raiseException(Object message) {
    throw new TemplateRaise(String.valueOf(TemplateValues.plain(message)));
  }

  public static String strftimeNow(Object format) {
    Clock clock = JinjavaInterpreter.getCurrentMaybe()
        .map(interpreter -> interpreter.getContext().get(CLOCK))
        .filter(Clock.class::isInstance)
        .map(Clock.class::cast)
        .orElseGet(Clock::systemDefaultZone);
    return Strftime.format(String.valueOf(TemplateValues.plain(format)), ZonedDateTime.now(clock));
  }
}
