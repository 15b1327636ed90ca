package org.neurite.djl;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * DJL inside the OSGi container.
 *
 * <p>DJL discovers engines and native libraries through {@link java.util.ServiceLoader} and
 * class-loader resources looked up on the thread context class loader. Inside OSGi, Gogo and SCR
 * threads carry the application class loader, which finds nothing, and a failed engine lookup
 * sticks for the life of the JVM. So the engine is started here, once, with the context class
 * loader set to this bundle's own; and lazily, on first use, because loading the PyTorch natives
 * takes most of a second that a command needing no tensors (a cached run, {@code runs}) should not pay.
 */
public final class DjlRuntime {
  private static final Logger LOG = System.getLogger(DjlRuntime.class.getName());
  private static final String ENGINE = "PyTorch";
  private static Engine engine;

  private DjlRuntime() {}

  /** Calls {@code action} with the context class loader set to DJL's own, then restores it. */
  public static <T> T withDjlClassLoader(Callable<T> action) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(DjlRuntime.class.getClassLoader());
    try {
      return action.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The PyTorch engine, started on first call (offline, natives from the configured cache). */
  public static synchronized Engine pytorch() {
    if (engine == null) {
      long started = System.nanoTime();
      try {
        engine = withDjlClassLoader(() -> Engine.getEngine(ENGINE));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("the PyTorch engine did not start", e);
      }
      LOG.log(Level.INFO, "DJL {0} engine {1} {2} started in {3} ms (native cache {4})", Engine.getDjlVersion(),
          engine.getEngineName(), engine.getVersion(), (System.nanoTime() - started) / 1_000_000,
          System.getProperty("DJL_CACHE_DIR", "DJL default"));
    }
    return engine;
  }

  /** Whether {@link #pytorch()} has started the engine yet. */
  public static synchronized boolean started() {
    return engine != null;
  }

  /**
   * The PyTorch version of the natives this bundle carries, read from their properties file without
   * loading them: what {@code pytorch().getVersion()} will report.
   */
  public static String nativeVersion() {
    Properties properties = new Properties();
    try (InputStream in = DjlRuntime.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
      if (in == null) {
        return pytorch().getVersion();
      }
      properties.load(in);
    } catch (IOException e) {
      return pytorch().getVersion();
    }
    String version = properties.getProperty("version", "");
    int dash = version.indexOf('-');
    return dash > 0 ? version.substring(0, dash) : version;
  }

  /** The tokenizers' native library, loaded with the right class loader. */
  public static void loadTokenizers() throws Exception {
    withDjlClassLoader(() -> {
      ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
      return null;
    });
  }
}
