package org.neurite.djl.internal;

import ai.djl.engine.Engine;
import org.neurite.djl.DjlRuntime;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Forces DJL offline with telemetry off before any DJL code runs, whoever launched the framework,
 * and fills DJL's static engine registry (providers only, no natives) with this bundle's class
 * loader: whichever thread touches {@code ai.djl.engine.Engine} first fixes that registry for the
 * life of the JVM. The engine itself starts lazily, through {@link org.neurite.djl.DjlRuntime#pytorch()}. The
 * launcher also points {@code DJL_CACHE_DIR} and {@code ENGINE_CACHE_DIR} at the installation's
 * own cache; a foreign launcher that does not gets DJL's defaults.
 */
public final class EngineBootstrap implements BundleActivator {
  @Override
  public void start(BundleContext context) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    java.util.Set<String> engines = DjlRuntime.withDjlClassLoader(Engine::getAllEngines);
    if (!engines.contains("PyTorch")) {
      throw new IllegalStateException("DJL found no PyTorch engine provider among " + engines
          + ": the org.neurite.djl bundle is incomplete");
    }
  }

  @Override
  public void stop(BundleContext context) {
    // Native libraries cannot be unloaded; the engine lives until the JVM exits.
  }
}
