package org.neurite.workflow.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference in a workflow's {@code with} block, a whole JSON string of one of these forms:
 * <ul>
 *   <li>{@code ${step.output}}: the output {@code output} of the step with id {@code step};
 *   <li>{@code ${step}}: the only output of that step;
 *   <li>{@code ${params.name}}: the workflow parameter {@code name}.
 * </ul>
 * Inside a longer string, {@code ${params.name}} is substituted as text; step outputs can only be
 * bound whole.
 */
record Reference(String target, String output) {
  static final String PARAMS = "params";
  private static final Pattern WHOLE = Pattern.compile("\\$\\{([A-Za-z][\\w-]*)(?:\\.([A-Za-z][\\w.-]*))?}");
  static final Pattern EMBEDDED_PARAM = Pattern.compile("\\$\\{params\\.([A-Za-z][\\w-]*)}");

  static Optional<Reference> parse(String text) {
    Matcher m = WHOLE.matcher(text.trim());
    return m.matches() ? Optional.of(new Reference(m.group(1), m.group(2))) : Optional.empty();
  }

  boolean isParam() {
    return target.equals(PARAMS);
  }

  @Override
  public String toString() {
    return "${" + target + (output == null ? "" : "." + output) + "}";
  }
}
