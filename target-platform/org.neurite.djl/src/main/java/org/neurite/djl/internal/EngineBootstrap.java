package org.neurite.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.neurite.djl.DjlRuntime;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Starts DJL's PyTorch engine and the tokenizer natives once, offline, with the right class loader.
 *
 * <p>The launcher points {@code DJL_CACHE_DIR} and {@code ENGINE_CACHE_DIR} at the installation's
 * own cache; if it did not (a foreign launcher), DJL's defaults apply. Offline mode and opting out
 * of telemetry are forced here so that no code path in DJL reaches the network.
 */
public final class EngineBootstrap implements BundleActivator {
  private static final Logger LOG = System.getLogger(EngineBootstrap.class.getName());

  @Override
  public void start(BundleContext context) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    long started = System.nanoTime();
    Engine engine = DjlRuntime.withDjlClassLoader(() -> {
      Engine pytorch = Engine.getEngine("PyTorch");
      LibUtils.checkStatus();
      return pytorch;
    });
    LOG.log(Level.INFO, "DJL {0} engine {1} {2} started in {3} ms (cache {4})",
        Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
        (System.nanoTime() - started) / 1_000_000, System.getProperty("DJL_CACHE_DIR", "default"));
  }

  @Override
  public void stop(BundleContext context) {
    // Native libraries cannot be unloaded; the engine lives until the JVM exits.
  }
}
