package org.neurite.report.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.neurite.api.NeuriteException;

/**
 * The charting library a report inlines: Apache ECharts, from the WebJar {@code org.webjars.npm:echarts}
 * that the build unpacks into this bundle (its minified script, its licence and the WebJar's
 * {@code pom.properties}, which names the version). Nothing is fetched at run time.
 *
 * @param name the library's name
 * @param version its version, as the WebJar says
 * @param coordinates the Maven coordinates it came from
 * @param licence its licence
 * @param script the minified script, inlined into every report
 */
public record ChartLibrary(String name, String version, String coordinates, String licence, String script) {
  private static final String PROPERTIES = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

  /** Reads the library from this bundle's resources. */
  public static ChartLibrary echarts() {
    Properties pom = new Properties();
    try (InputStream in = resource(PROPERTIES)) {
      pom.load(in);
    } catch (IOException e) {
      throw new NeuriteException("Cannot read " + PROPERTIES + " of the report bundle: " + e.getMessage(), e);
    }
    String version = pom.getProperty("version");
    String base = "/META-INF/resources/webjars/echarts/" + version;
    return new ChartLibrary("Apache ECharts", version, pom.getProperty("groupId") + ":" + pom.getProperty("artifactId")
        + ":" + version, heading(text(base + "/LICENSE")), text(base + "/dist/echarts.min.js"));
  }

  /** {@code Apache ECharts 5.3.1 (org.webjars.npm:echarts:5.3.1, Apache License Version 2.0, January 2004)}. */
  public String describe() {
    return name + " " + version + " (" + coordinates + ", " + licence + ")";
  }

  /** The licence file's title: its first two lines ({@code Apache License} and its version). */
  private static String heading(String text) {
    return String.join(" ", text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(2).toList());
  }

  private static String text(String path) {
    try (InputStream in = resource(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NeuriteException("Cannot read " + path + " of the report bundle: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = ChartLibrary.class.getResourceAsStream(path);
    if (in == null) {
      throw new NeuriteException("The report bundle has no " + path + ": it was built without the ECharts WebJar"
          + " (org.webjars.npm:echarts); rebuild bundles/org.neurite.report with Maven.");
    }
    return in;
  }
}
