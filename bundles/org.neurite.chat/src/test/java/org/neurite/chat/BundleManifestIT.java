package org.neurite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built bundle's manifest: jinjava and its dependencies stay inside (embedded, not exported,
 * not imported), so the bundle resolves on what the distribution ships. The distribution's
 * PlatformIT then checks it resolves and starts in the real Felix.
 */
class BundleManifestIT {
  private static final List<String> MAY_IMPORT = List.of("org.neurite.api", "com.google.gson");
  private static final List<String> JRE_OPTIONAL = List.of("javax.", "org.w3c.", "org.xml.", "sun.misc");

  @Test
  void importsOnlyTheApiGsonAndTheJre() throws IOException {
    Attributes manifest = manifest();
    List<String> unexpected = new ArrayList<>();
    for (String clause : clauses(manifest.getValue("Import-Package"))) {
      String name = clause.split(";")[0].trim();
      boolean mandatory = !clause.contains("resolution:=optional");
      boolean allowed = MAY_IMPORT.stream().anyMatch(name::startsWith)
          || (!mandatory && JRE_OPTIONAL.stream().anyMatch(name::startsWith) && !name.startsWith("javax.annotation"));
      if (!allowed) {
        unexpected.add(clause);
      }
    }
    assertEquals(List.of(), unexpected, "imports neither the API, gson nor an optional JRE package");
  }

  @Test
  void exportsOnlyTheApiPackageAndEmbedsJinjava() throws IOException {
    Attributes manifest = manifest();
    assertEquals("org.neurite.chat", manifest.getValue("Bundle-SymbolicName"));
    assertEquals(List.of("org.neurite.chat;version=\"0.1.0\""), clauses(manifest.getValue("Export-Package")));
    String classPath = manifest.getValue("Bundle-ClassPath");
    assertNotNull(classPath);
    for (String jar : List.of("lib/jinjava.jar", "lib/guava.jar", "lib/jackson-databind.jar", "lib/slf4j-api.jar", "lib/slf4j-jdk14.jar")) {
      assertTrue(clauses(classPath).contains(jar), jar + " is not on the Bundle-ClassPath " + classPath);
    }
    assertTrue(manifest.getValue("Require-Bundle") == null, "no Require-Bundle");
  }

  private static Attributes manifest() throws IOException {
    String jar = System.getProperty("neurite.chat.jar");
    assertNotNull(jar, "run by failsafe, which names the jar");
    try (JarFile file = new JarFile(Path.of(jar).toFile())) {
      return file.getManifest().getMainAttributes();
    }
  }

  /** Splits a manifest header at the commas between clauses, not those inside quotes. */
  private static List<String> clauses(String header) {
    List<String> clauses = new ArrayList<>();
    if (header == null) {
      return clauses;
    }
    StringBuilder clause = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        clauses.add(clause.toString().trim());
        clause.setLength(0);
      } else {
        clause.append(c);
      }
    }
    clauses.add(clause.toString().trim());
    return clauses;
  }
}
