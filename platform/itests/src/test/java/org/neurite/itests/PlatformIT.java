package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.launcher.Neurite;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** Boots the real distribution in this JVM: real Felix, every real bundle, real DJL/PyTorch. */
class PlatformIT {
  @TempDir static Path workspace;
  private static Neurite neurite;

  @BeforeAll
  static void boot() throws Exception {
    neurite = Neurite.start(Distribution.home(), workspace, System.out, System.err);
  }

  @AfterAll
  static void stop() throws Exception {
    neurite.close();
  }

  @Test
  void everyBundleOfTheDistributionIsActive() {
    Bundle[] bundles = neurite.context().getBundles();
    List<String> notActive = Arrays.stream(bundles)
        .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.ACTIVE)
        .map(b -> b.getSymbolicName() + " in state " + b.getState())
        .toList();
    assertEquals(List.of(), notActive);
    Set<String> names = Arrays.stream(bundles).map(Bundle::getSymbolicName).collect(Collectors.toSet());
    for (String expected : List.of("org.neurite.djl", "org.neurite.api", "org.neurite.backend.djl", "org.neurite.console",
        "org.apache.felix.scr", "org.apache.felix.gogo.runtime", "org.apache.felix.fileinstall", "com.h2database",
        "com.google.gson")) {
      assertTrue(names.contains(expected), expected + " is missing from " + names);
    }
  }

  @Test
  void tensorBackendServiceComputes() throws Exception {
    ServiceReference<?> backend = awaitService("org.neurite.api.backend.TensorBackend");
    assertNotNull(backend, "no TensorBackend service registered");
    assertEquals("org.neurite.backend.djl", backend.getBundle().getSymbolicName());
    String result = neurite.execute("selftest cpu");
    assertTrue(result.startsWith("ok: 64x64 matmul on cpu"), result);
    assertTrue(result.endsWith("open scopes: 0"), result);
  }

  @Test
  void infoShowsEngineAndWorkspace() throws Exception {
    String info = neurite.execute("info");
    assertTrue(info.contains("PyTorch 2.7.1"), info);
    assertTrue(info.contains(workspace.toString()), info);
    assertTrue(info.contains("device cpu"), info);
  }

  @Test
  void missingGpuIsOneClearErrorAndTheJvmSurvives() throws Exception {
    Exception error = assertThrows(Exception.class, () -> neurite.execute("selftest cuda:0"));
    assertEquals("org.neurite.api.NeuriteException", error.getClass().getName(), () -> describe(error));
    assertTrue(error.getMessage().startsWith("Device cuda:0 is not available"), error.getMessage());
    assertTrue(neurite.execute("selftest cpu").startsWith("ok:"), "the backend still works after the error");
  }

  @Test
  void pluginDroppedIntoTheWorkspaceRegistersItsStepWithoutRestart() throws Exception {
    assertTrue(!neurite.execute("steps").contains("itest.echo"), "the test plugin must not be there before the drop");
    Path jar = workspace.resolve("plugins/org.neurite.itests.plugin.jar");
    Path staging = workspace.resolve("org.neurite.itests.plugin.jar.part");
    Files.copy(Distribution.testPlugin("org.neurite.itests.plugin.jar"), staging, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staging, jar, StandardCopyOption.ATOMIC_MOVE);
    String steps = awaitSteps(true);
    assertTrue(steps.contains("param  message : string (required)"), steps);

    Path workflow = workspace.resolve("workflows/echo.json");
    Files.writeString(workflow, "{\"name\": \"echo\", \"steps\": [{\"id\": \"say\", \"uses\": \"itest.echo\","
        + " \"with\": {\"message\": \"hot-deployed\", \"repeat\": 2}}]}");
    neurite.execute("run workflows/echo.json");
    String shown = neurite.execute("show 1");
    assertTrue(shown.contains("say            itest.echo"), shown);
    assertTrue(shown.matches("(?s).*message.length\\s+itest\\s+24.*"), shown);

    Files.delete(jar);
    String after = awaitSteps(false);
    assertTrue(!after.contains("itest.echo"), after);
  }

  /**
   * Declarative Services registers components shortly after the bundles start. All references, not
   * only those assignable to the test's class loader: the test does not share the bundles' classes.
   */
  private static ServiceReference<?> awaitService(String type) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    ServiceReference<?>[] references = neurite.context().getAllServiceReferences(type, null);
    while (references == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      references = neurite.context().getAllServiceReferences(type, null);
    }
    return references == null ? null : references[0];
  }

  private static String awaitSteps(boolean present) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    String steps = neurite.execute("steps");
    while (steps.contains("itest.echo") != present && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      steps = neurite.execute("steps");
    }
    assertEquals(present, steps.contains("itest.echo"), "itest.echo registered? " + steps);
    return steps;
  }

  private static String describe(Throwable t) {
    java.io.StringWriter text = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }
}
