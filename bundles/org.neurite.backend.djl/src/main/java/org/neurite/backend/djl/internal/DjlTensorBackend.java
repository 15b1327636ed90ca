package org.neurite.backend.djl.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.DeviceInfo;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.TextTokenizer;
import org.neurite.djl.DjlRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@link TensorBackend} on DJL's PyTorch engine. Scopes are sub-managers of one root manager per
 * backend, so anything not closed by its owner is still freed when the backend goes away, and
 * {@link #openScopes()} shows it in the meantime.
 */
@Component(service = TensorBackend.class)
public final class DjlTensorBackend implements TensorBackend {
  private static final Pattern CUDA = Pattern.compile("(?:cuda|gpu)(?::(\\d+))?");

  private final java.util.function.Supplier<Engine> engineSource;
  /** Scopes handed out: held weakly, so a forgotten scope still counts until it is collected. */
  private final List<WeakReference<NDManager>> scopes = new ArrayList<>();
  private Engine engine;
  private NDManager root;

  /** The engine starts on the first call that needs it, not when the service starts. */
  @Activate
  public DjlTensorBackend() {
    this(DjlRuntime::pytorch);
  }

  DjlTensorBackend(java.util.function.Supplier<Engine> engineSource) {
    this.engineSource = engineSource;
  }

  private synchronized Engine engine() {
    if (engine == null) {
      engine = engineSource.get();
      root = engine.newBaseManager(Device.cpu());
      root.setName("neurite-backend");
    }
    return engine;
  }

  @Deactivate
  synchronized void close() {
    if (root != null) {
      root.close();
    }
  }

  @Override
  public String engineName() {
    return "PyTorch";
  }

  /** From the natives' own properties until the engine has started, so asking costs nothing. */
  @Override
  public String engineVersion() {
    synchronized (this) {
      if (engine != null) {
        return engine.getVersion();
      }
    }
    return DjlRuntime.nativeVersion();
  }

  @Override
  public String djlVersion() {
    return Engine.getDjlVersion();
  }

  @Override
  public List<DeviceInfo> devices() {
    List<DeviceInfo> devices = new ArrayList<>();
    devices.add(new DeviceInfo("cpu", "cpu",
        Runtime.getRuntime().availableProcessors() + " cores, " + engineName() + " " + engineVersion()));
    for (int i = 0; i < engine().getGpuCount(); i++) {
      devices.add(new DeviceInfo("cuda:" + i, "gpu", "CUDA device " + i));
    }
    return devices;
  }

  @Override
  public Device device(String spec) {
    String name = spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (name.equals("cpu")) {
      return Device.cpu();
    }
    Matcher cuda = CUDA.matcher(name);
    if (!cuda.matches()) {
      throw new NeuriteException("Unknown device '" + spec + "'. Name a device as cpu or cuda:N;"
          + " available here: " + deviceIds() + ".");
    }
    int index = cuda.group(1) == null ? 0 : Integer.parseInt(cuda.group(1));
    int gpus = engine().getGpuCount();
    if (index >= gpus) {
      throw new NeuriteException("Device cuda:" + index + " is not available: " + engineName() + " "
          + engineVersion() + " sees " + gpus + " GPU" + (gpus == 1 ? "" : "s")
          + " on this machine (its CPU natives are loaded, or no NVIDIA driver is present)."
          + " Available devices: " + deviceIds() + ". Run with device=cpu, or run on a machine"
          + " with an NVIDIA GPU and Neurite's CUDA natives installed.");
    }
    return Device.gpu(index);
  }

  @Override
  public NDManager newScope(String deviceSpec) {
    Device device = device(deviceSpec);
    engine();
    NDManager scope;
    synchronized (this) {
      scope = root.newSubManager(device);
    }
    synchronized (scopes) {
      prune();
      scopes.add(new WeakReference<>(scope));
    }
    return scope;
  }

  @Override
  public boolean recordGradients(boolean on) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(on);
    return previous;
  }

  @Override
  public void backward(NDArray scalar) {
    if (!(scalar instanceof PtNDArray pt)) {
      throw new IllegalArgumentException("backward needs an array of the PyTorch engine, got " + scalar.getClass().getName());
    }
    try (NDArray seed = scalar.onesLike()) {
      JniUtils.backward(pt, (PtNDArray) seed, false, false);
    }
  }

  @Override
  public TextTokenizer tokenizer(Path file, NDManager owner) {
    return HfTokenizer.open(file, owner);
  }

  @Override
  public int openScopes() {
    synchronized (scopes) {
      prune();
      return scopes.size();
    }
  }

  private void prune() {
    scopes.removeIf(ref -> {
      NDManager scope = ref.get();
      return scope == null || !scope.isOpen();
    });
  }

  private String deviceIds() {
    return String.join(", ", devices().stream().map(DeviceInfo::id).toList());
  }
}
