package org.neurite.itests.plugin.internal;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neurite.api.context.StepContext;
import org.neurite.api.step.NeuriteStep;
import org.neurite.api.step.ParamSpec;
import org.neurite.api.step.ParamType;
import org.neurite.api.step.Step;
import org.neurite.api.step.StepResult;
import org.neurite.api.step.StepSpec;
import org.osgi.service.component.annotations.Component;

/**
 * {@code itest.slow}: writes an artifact slowly, a line every 100 ms, so a test can kill the
 * process while the file is half-written.
 */
@Component
@NeuriteStep(name = "itest.slow")
public final class SlowStep implements Step {
  private static final StepSpec SPEC = StepSpec.named("itest.slow")
      .summary("writes an artifact slowly (integration-test plugin)")
      .param(ParamSpec.optional("lines", ParamType.INTEGER, "30", "lines to write, one every 100 ms"))
      .output("file", Path.class, "the written file")
      .build();

  @Override
  public StepSpec spec() {
    return SPEC;
  }

  @Override
  public StepResult run(StepContext context) throws Exception {
    long lines = context.param("lines", Long.class);
    Path file = context.artifacts().write("slow.txt", "data", tmp -> {
      try (BufferedWriter out = Files.newBufferedWriter(tmp)) {
        for (long i = 0; i < lines && !context.cancelled(); i++) {
          out.write("line " + i + "\n");
          out.flush();
          Thread.sleep(100);
        }
      }
    });
    return StepResult.of("file", file);
  }
}
