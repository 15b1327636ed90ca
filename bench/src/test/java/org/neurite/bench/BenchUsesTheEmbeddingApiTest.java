package org.neurite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks start Neurite through the launcher's embedding API and measure through services
 * and console commands: none of their compiled classes names a class of a Neurite {@code internal}
 * package, or any Neurite class outside the launcher (the platform's classes belong inside the
 * framework). Read from the constant pools of bench's compiled classes, so a reference in a
 * descriptor, a signature or a {@code Class.forName} string counts as much as an import.
 */
class BenchUsesTheEmbeddingApiTest {
  private static final Pattern INTERNAL = Pattern.compile("org[/.]neurite[/.](?:\\w+[/.])*internal\\b");
  private static final Pattern NEURITE = Pattern.compile("org[/.]neurite[/.](\\w+)");
  private static final Map<String, List<String>> TEXTS = new TreeMap<>();

  @BeforeAll
  static void readClasses() throws IOException {
    Path classes = Path.of(System.getProperty("bench.classes", "target/classes"));
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        TEXTS.put(classes.relativize(file).toString(), ConstantPool.texts(Files.readAllBytes(file)));
      }
    }
    assertTrue(TEXTS.containsKey("org/neurite/bench/MiniLmBench.class"), "bench's classes at " + classes + ": "
        + TEXTS.keySet());
  }

  @Test
  void noBenchmarkNamesAnInternalClass() {
    List<String> offenders = new ArrayList<>();
    TEXTS.forEach((file, texts) -> texts.stream().filter(t -> INTERNAL.matcher(t).find())
        .forEach(t -> offenders.add(file + " names " + t)));
    assertEquals(List.of(), offenders);
  }

  @Test
  void theOnlyNeuriteCodeOnTheBenchmarksClassPathIsTheLauncher() {
    List<String> offenders = new ArrayList<>();
    TEXTS.forEach((file, texts) -> texts.forEach(t -> NEURITE.matcher(t).results()
        .map(m -> m.group(1)).filter(p -> !p.equals("bench") && !p.equals("launcher"))
        .forEach(p -> offenders.add(file + " names org.neurite." + p + " in " + t))));
    assertEquals(List.of(), offenders);
  }

  @Test
  void theBenchmarksStartNeuriteThroughTheEmbeddingApi() {
    assertTrue(TEXTS.get("org/neurite/bench/EmbeddedNeurite.class").contains("org/neurite/launcher/Neurite"),
        "EmbeddedNeurite calls org.neurite.launcher.Neurite");
  }

  /** The scanner itself: it must see string literals and annotations, not only class references. */
  @Test
  void theScanSeesStringsAndAnnotations() throws IOException {
    List<String> own = ConstantPool.texts(Files.readAllBytes(Path.of(System.getProperty("bench.test-classes",
        "target/test-classes"), "org/neurite/bench/BenchUsesTheEmbeddingApiTest.class")));
    assertTrue(own.contains("org/neurite/launcher/Neurite"), "string literals are in the pool: " + own);
    assertTrue(own.stream().anyMatch(t -> t.contains("org/junit/jupiter/api/Test")), "annotations are in the pool");
  }
}
