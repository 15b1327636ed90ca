package org.neurite.chat.internal;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * jinjava set up as Hugging Face sets up jinja2 for chat templates: trim_blocks (jinjava's own),
 * lstrip_blocks and the dropped trailing newline (done on the source by {@link JinjaSource}),
 * Python's str methods and indexing, jinja2's printing of values, HF's tojson, raise_exception and
 * strftime_now, jinja2's trim and title.
 */
final class HfJinja {
  private final Jinjava jinjava;

  private HfJinja(Jinjava jinjava) {
    this.jinjava = jinjava;
  }

  static HfJinja create() {
    return OwnClassLoader.call(HfJinja::configured);
  }

  private static HfJinja configured() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PythonMethodsResolver());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(false)
        .withKeepTrailingNewline(true)
        .withElResolver(resolver)
        .withExecutionMode(new PythonExecutionMode())
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withAllowAdjacentTextNodes(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .withKeepNullableLoopValues(true)
            .withHandleBackslashInQuotesOnly(true)
            .withDefaultKeepTrailingNewlineBehavior(true)
            .build())
        .build();
    Jinjava jinjava = new Jinjava(config);
    jinjava.registerTag(new GenerationTag());
    jinjava.registerFilter(new ToJsonFilter());
    jinjava.registerFilter(new TrimFilter());
    jinjava.registerFilter(new TitleFilter());
    jinjava.registerFilter(new LengthFilter("length"));
    jinjava.registerFilter(new LengthFilter("count"));
    jinjava.registerFunction(function("raise_exception", "raiseException"));
    jinjava.registerFunction(function("strftime_now", "strftimeNow"));
    return new HfJinja(jinjava);
  }

  private static ELFunctionDefinition function(String name, String method) {
    return new ELFunctionDefinition("", name, TemplateFunctions.class, method, Object.class);
  }

  RenderResult render(String template, Map<String, Object> variables, Clock clock) {
    Map<String, Object> bindings = new HashMap<>(variables);
    bindings.put(TemplateFunctions.CLOCK, clock);
    Set<String> none = new HashSet<>();
    variables.forEach((name, value) -> {
      if (value == null) {
        none.add(name);
      }
    });
    String source = JinjaSource.prepare(template, none);
    return OwnClassLoader.call(() -> jinjava.renderForResult(source, bindings));
  }
}
