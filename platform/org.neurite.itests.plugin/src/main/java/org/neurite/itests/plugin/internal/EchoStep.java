package org.neurite.itests.plugin.internal;

import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/** {@code itest.echo}: records the length of a message as a metric; proves a hot-deployed step runs. */
@Component
@NeuriteStep(name = "itest.echo")
public final class EchoStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("itest.echo")
      .summary("records the length of a message as a metric (integration-test plugin)")
      .param(ParamSpec.required("message", ParamType.STRING, "the text to measure"))
      .param(ParamSpec.optional("repeat", ParamType.INTEGER, "1", "how many times the message counts"))
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) {
    String message = context.param("message", String.class);
    long repeat = context.param("repeat", Long.class);
    context.metric("message.length", "itest", (double) message.length() * repeat);
    return StepResult.empty();
  }
}
