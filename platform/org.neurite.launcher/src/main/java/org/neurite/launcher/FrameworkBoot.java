package org.neurite.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Boots Felix: a framework cache inside the workspace (one per concurrently running process, each
 * guarded by a file lock), the distribution's bundles installed or updated from {@code bundles/},
 * everything started, and the workspace's plugins/ given time to be installed by FileInstall.
 */
final class FrameworkBoot {
  private static final Logger LOG = System.getLogger(FrameworkBoot.class.getName());

  private final Framework framework;
  private final FrameworkCache cache;

  private FrameworkBoot(Framework framework, FrameworkCache cache) {
    this.framework = framework;
    this.cache = cache;
  }

  static FrameworkBoot start(Map<String, String> properties, Path home, Path workspace) throws Exception {
    Map<String, String> config = new HashMap<>(properties);
    FrameworkCache cache = FrameworkCache.claim(workspace.resolve("cache"));
    config.put(Constants.FRAMEWORK_STORAGE, cache.folder().toString());
    FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
        .orElseThrow(() -> new LaunchException("No OSGi framework on the launcher's class path: the distribution's lib/ is incomplete."));
    Framework framework = factory.newFramework(config);
    framework.init();
    FrameworkBoot boot = new FrameworkBoot(framework, cache);
    List<Bundle> bundles = boot.installDistribution(home.resolve("bundles"));
    boot.forgetRemovedPlugins(workspace.resolve("plugins"));
    framework.start();
    boot.startAll(bundles);
    boot.awaitPlugins(workspace.resolve("plugins"), 15_000);
    return boot;
  }

  BundleContext context() {
    return framework.getBundleContext();
  }

  /** Stops the framework and waits for it; the cache lock is released last. */
  void stop() {
    try {
      framework.stop();
      framework.waitForStop(20_000);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "The OSGi framework did not stop cleanly", e);
    } finally {
      try {
        cache.close();
      } catch (IOException ignored) {
        // the lock goes with the process anyway
      }
    }
  }

  /** Installs new jars, updates changed ones, and removes bundles whose jar left the distribution. */
  private List<Bundle> installDistribution(Path bundleDir) throws IOException, BundleException {
    if (!Files.isDirectory(bundleDir)) {
      throw new LaunchException("Missing " + bundleDir + ": the distribution is incomplete. Rebuild it with ./neurite.");
    }
    BundleContext context = framework.getBundleContext();
    String prefix = bundleDir.toUri().toString();
    Map<String, Bundle> installed = new HashMap<>();
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getLocation().startsWith(prefix)) {
        installed.put(bundle.getLocation(), bundle);
      }
    }
    List<Bundle> result = new ArrayList<>();
    List<Path> jars;
    try (Stream<Path> files = Files.list(bundleDir)) {
      jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
    for (Path jar : jars) {
      String location = jar.toUri().toString();
      Bundle bundle = installed.remove(location);
      if (bundle == null) {
        try (InputStream in = Files.newInputStream(jar)) {
          bundle = context.installBundle(location, in);
        }
      } else if (Files.getLastModifiedTime(jar).toMillis() > bundle.getLastModified()) {
        try (InputStream in = Files.newInputStream(jar)) {
          bundle.update(in);
        }
        LOG.log(Level.INFO, "Updated {0} from {1}", bundle.getSymbolicName(), jar);
      }
      result.add(bundle);
    }
    for (Bundle gone : installed.values()) {
      LOG.log(Level.INFO, "Uninstalling {0}: its jar is no longer in {1}", gone.getSymbolicName(), bundleDir);
      gone.uninstall();
    }
    return result;
  }

  /**
   * A plugin jar removed from plugins/ while Neurite was stopped would come back from the framework's
   * cache: FileInstall uninstalls a bundle only when its jar disappears while it watches. Before the
   * framework starts, every cached bundle installed from plugins/ whose jar is gone is uninstalled.
   */
  private void forgetRemovedPlugins(Path pluginDir) throws BundleException {
    Path plugins = pluginDir.toAbsolutePath().normalize();
    for (Bundle bundle : framework.getBundleContext().getBundles()) {
      Path jar = fileOf(bundle.getLocation());
      if (jar != null && jar.startsWith(plugins) && !Files.exists(jar)) {
        LOG.log(Level.INFO, "Uninstalling plugin {0}: its jar {1} was removed", bundle.getSymbolicName(), jar);
        bundle.uninstall();
      }
    }
  }

  /** The file a bundle location names ({@code file:/...}, as FileInstall installs), or null for another kind. */
  private static Path fileOf(String location) {
    try {
      URI uri = URI.create(location);
      return "file".equals(uri.getScheme()) ? Path.of(uri).toAbsolutePath().normalize() : null;
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      return null;
    }
  }

  private void startAll(List<Bundle> bundles) {
    List<String> failures = new ArrayList<>();
    for (Bundle bundle : bundles) {
      if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
        continue;
      }
      try {
        bundle.start();
      } catch (BundleException e) {
        LOG.log(Level.ERROR, "Bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " did not start", e);
        failures.add(bundle.getSymbolicName() + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new LaunchException("Some bundles of the distribution did not start:\n  " + String.join("\n  ", failures)
          + "\nThe log has the details; a rebuilt distribution (./neurite) usually fixes a stale one.");
    }
  }

  /**
   * FileInstall installs the jars of plugins/ from its own thread; a command that uses a plugin's
   * step must not run before they are active. Waits until every jar there is an active bundle.
   */
  private void awaitPlugins(Path pluginDir, long timeoutMillis) throws IOException, InterruptedException {
    if (!Files.isDirectory(pluginDir)) {
      return;
    }
    List<String> expected;
    try (Stream<Path> files = Files.list(pluginDir)) {
      expected = files.filter(p -> p.toString().endsWith(".jar")).map(p -> p.getFileName().toString()).toList();
    }
    long deadline = System.currentTimeMillis() + timeoutMillis;
    List<String> missing = expected;
    while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      missing = expected.stream().filter(name -> !activeFrom(pluginDir, name)).toList();
    }
    if (!missing.isEmpty()) {
      LOG.log(Level.WARNING, "Plugins not active after {0} s: {1}. See the log for why they did not start.",
          timeoutMillis / 1000, missing);
    }
  }

  private boolean activeFrom(Path pluginDir, String fileName) {
    for (Bundle bundle : framework.getBundleContext().getBundles()) {
      String location = bundle.getLocation();
      if (location.endsWith("/" + fileName) && location.contains(pluginDir.getFileName().toString())) {
        return bundle.getState() == Bundle.ACTIVE || bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
      }
    }
    return false;
  }
}
