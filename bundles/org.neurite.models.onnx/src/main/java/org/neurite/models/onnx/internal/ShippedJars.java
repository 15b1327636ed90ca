package org.neurite.models.onnx.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ShippedModels;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The models that ship with Neurite as jars in the installation's {@code models/} folder (from
 * Maven Central, e.g. all-MiniLM-L6-v2 as ONNX), each named after the {@code .onnx} entry at its
 * root. Each is imported once into a workspace's {@code models/NAME/} as a Hugging Face folder.
 */
@Component(service = ShippedModels.class)
public final class ShippedJars implements ShippedModels {
  private final Map<String, Path> jars = new LinkedHashMap<>();

  @Activate
  public ShippedJars(BundleContext context) {
    this(Path.of(home(context)).resolve("models"));
  }

  /** The shipped models in {@code folder} (none if it does not exist). */
  public ShippedJars(Path folder) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
        for (String name : onnxNames(jar)) {
          jars.putIfAbsent(name, jar);
        }
      }
    } catch (IOException e) {
      throw new NeuriteException("Cannot list the shipped models in " + folder + ": " + e.getMessage(), e);
    }
  }

  private static String home(BundleContext context) {
    String home = context.getProperty("neurite.home");
    if (home == null) {
      throw new NeuriteException("Framework property neurite.home is not set: start Neurite with bin/neurite.");
    }
    return home;
  }

  private static List<String> onnxNames(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String entry = e.nextElement().getName();
        if (entry.endsWith(".onnx") && !entry.contains("/")) {
          names.add(entry.substring(0, entry.length() - ".onnx".length()));
        }
      }
    }
    return names;
  }

  @Override
  public List<String> names() {
    return List.copyOf(jars.keySet());
  }

  @Override
  public boolean has(String name) {
    return jars.containsKey(name);
  }

  @Override
  public Path importInto(String name, Path modelsFolder) {
    Path jar = jars.get(name);
    if (jar == null) {
      throw new NeuriteException("No shipped model '" + name + "'; shipped: " + names());
    }
    return OnnxEncoderImport.fromJar(jar, modelsFolder.resolve(name));
  }
}
