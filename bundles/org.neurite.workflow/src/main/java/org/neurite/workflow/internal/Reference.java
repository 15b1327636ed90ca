package org.neurite.workflow.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference in a workflow's {@code with} block, a whole JSON string of one of these forms:
 * <ul>
 *   <li>{@code ${step.output}}: the output {@code output} of the step with id {@code step};
 *   <li>{@code ${step}}: the only output of that step;
 *   <li>{@code ${runs.N.step.output}}: the output {@code output} that step {@code step} of the
 *       earlier run {@code N} recorded ({@code ${runs.N.step}}: its only output);
 *   <li>{@code ${params.name}}: the workflow parameter {@code name}.
 * </ul>
 * Inside a longer string, {@code ${params.name}} is substituted as text; step outputs can only be
 * bound whole.
 *
 * @param run for a recorded output of an earlier run, that run's id; otherwise null
 */
record Reference(Long run, String target, String output) {
  static final String PARAMS = "params";
  private static final Pattern RECORDED =
      Pattern.compile("\\$\\{runs\\.(\\d{1,18})\\.([A-Za-z][\\w-]*)(?:\\.([A-Za-z][\\w.-]*))?}");
  private static final Pattern WHOLE = Pattern.compile("\\$\\{([A-Za-z][\\w-]*)(?:\\.([A-Za-z][\\w.-]*))?}");
  static final Pattern EMBEDDED_PARAM = Pattern.compile("\\$\\{params\\.([A-Za-z][\\w-]*)}");

  static Optional<Reference> parse(String text) {
    Matcher recorded = RECORDED.matcher(text.trim());
    if (recorded.matches()) {
      return Optional.of(new Reference(Long.parseLong(recorded.group(1)), recorded.group(2), recorded.group(3)));
    }
    Matcher m = WHOLE.matcher(text.trim());
    return m.matches() ? Optional.of(step(m.group(1), m.group(2))) : Optional.empty();
  }

  /** A reference to an output of a step of the same workflow. */
  static Reference step(String target, String output) {
    return new Reference(null, target, output);
  }

  boolean isParam() {
    return run == null && target.equals(PARAMS);
  }

  /** True for {@code ${runs.N.step.output}}: an output recorded by an earlier run. */
  boolean isRecorded() {
    return run != null;
  }

  @Override
  public String toString() {
    return "${" + (run == null ? "" : "runs." + run + ".") + target + (output == null ? "" : "." + output) + "}";
  }
}
