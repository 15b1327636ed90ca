package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seams, checked on what actually runs: the Import-Package and Export-Package headers of the
 * Neurite bundles in the assembled distribution.
 */
class ArchitectureIT {
  private static final Map<String, List<String>> IMPORTS = new TreeMap<>();
  private static final Map<String, List<String>> EXPORTS = new TreeMap<>();

  @BeforeAll
  static void readManifests() throws IOException {
    try (Stream<Path> jars = Files.list(Distribution.home().resolve("bundles"))) {
      for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("org.neurite.")).toList()) {
        try (JarFile file = new JarFile(jar.toFile())) {
          Manifest manifest = file.getManifest();
          String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0];
          IMPORTS.put(name, packages(manifest.getMainAttributes().getValue("Import-Package")));
          EXPORTS.put(name, packages(manifest.getMainAttributes().getValue("Export-Package")));
        }
      }
    }
    assertTrue(IMPORTS.keySet().containsAll(List.of("org.neurite.api", "org.neurite.support", "org.neurite.models",
        "org.neurite.workflow", "org.neurite.backend.djl", "org.neurite.djl", "org.neurite.models.onnx")),
        IMPORTS.keySet().toString());
  }

  @Test
  void onlyTheDjlWrapperAndTheBackendTouchThePyTorchEngine() {
    List<String> offenders = new ArrayList<>();
    IMPORTS.forEach((bundle, imports) -> {
      if (!bundle.equals("org.neurite.djl") && !bundle.equals("org.neurite.backend.djl")) {
        imports.stream().filter(p -> p.startsWith("ai.djl.pytorch")).forEach(p -> offenders.add(bundle + " imports " + p));
      }
    });
    assertEquals(List.of(), offenders, "models and plugins go through TensorBackend, so a second backend can serve them");
  }

  @Test
  void modelsReachDjlsRuntimeOnlyThroughTheBackend() {
    List<String> imports = IMPORTS.get("org.neurite.models");
    assertEquals(List.of(), imports.stream().filter(p -> p.startsWith("ai.djl.huggingface") || p.equals("org.neurite.djl")
        || p.startsWith("ai.djl.pytorch")).toList(), "tokenizers and autograd come from TensorBackend");
  }

  @Test
  void noBundleImportsTheOnnxImport() {
    List<String> offenders = new ArrayList<>();
    IMPORTS.forEach((bundle, imports) -> imports.stream().filter(p -> p.startsWith("org.neurite.models.onnx"))
        .forEach(p -> offenders.add(bundle + " imports " + p)));
    assertEquals(List.of(), offenders, "shipped models are reached through the ShippedModels service");
    assertEquals(List.of(), EXPORTS.get("org.neurite.models.onnx"), "the ONNX import exports nothing");
  }

  @Test
  void aFamilyPluginNeedsOnlyTheApiAndTheExportedFamilyPackage() throws IOException {
    assertTrue(EXPORTS.get("org.neurite.models").contains("org.neurite.models.family"),
        EXPORTS.get("org.neurite.models").toString());
    try (JarFile plugin = new JarFile(Distribution.testPlugin("org.neurite.itests.family.jar").toFile())) {
      List<String> imports = packages(plugin.getManifest().getMainAttributes().getValue("Import-Package"));
      assertTrue(imports.contains("org.neurite.models.family"), imports.toString());
      assertEquals(List.of(), imports.stream().filter(p -> !p.startsWith("org.neurite.api") && !p.equals(
          "org.neurite.models.family") && !(p.startsWith("ai.djl.") && !p.startsWith("ai.djl.pytorch"))
          && !p.startsWith("org.osgi.")).toList(), "what the itest family imports beyond the API and the family package");
    }
  }

  @Test
  void noBundleImportsAnotherBundlesInternals() {
    List<String> offenders = new ArrayList<>();
    IMPORTS.forEach((bundle, imports) -> imports.stream().filter(ArchitectureIT::isNeuriteInternal)
        .forEach(p -> offenders.add(bundle + " imports " + p)));
    EXPORTS.forEach((bundle, exports) -> exports.stream().filter(ArchitectureIT::isNeuriteInternal)
        .forEach(p -> offenders.add(bundle + " exports " + p)));
    assertEquals(List.of(), offenders);
  }

  @Test
  void theApiHoldsContractsOnlyAndImportsNoImplementation() {
    List<String> imports = IMPORTS.get("org.neurite.api");
    assertFalse(imports.stream().anyMatch(p -> p.startsWith("com.google.gson") || p.startsWith("org.neurite.support")),
        "the API imports " + imports);
    assertTrue(EXPORTS.get("org.neurite.api").containsAll(List.of("org.neurite.api.step", "org.neurite.api.hook",
        "org.neurite.api.family", "org.neurite.api.value", "org.neurite.api.context", "org.neurite.api.model",
        "org.neurite.api.workspace")), EXPORTS.get("org.neurite.api").toString());
  }

  private static boolean isNeuriteInternal(String packageName) {
    return packageName.startsWith("org.neurite.") && (packageName.endsWith(".internal") || packageName.contains(".internal."));
  }

  /** The package names of a manifest header, without their attributes. */
  private static List<String> packages(String header) {
    List<String> names = new ArrayList<>();
    if (header == null) {
      return names;
    }
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        names.add(current.toString().split(";")[0].trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (!current.isEmpty()) {
      names.add(current.toString().split(";")[0].trim());
    }
    return names;
  }
}
