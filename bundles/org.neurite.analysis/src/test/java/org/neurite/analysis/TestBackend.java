package org.neurite.analysis;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.DeviceInfo;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.model.TextTokenizer;

/**
 * The real PyTorch engine on the plain class path, for unit tests outside OSGi: scopes are
 * sub-managers of one root that {@link #close()} frees, and {@link #openScopes()} counts the ones
 * not yet closed, as the platform's backend does. Each test class makes its own.
 */
public final class TestBackend implements TensorBackend, AutoCloseable {
  private final NDManager root = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
  private final Set<NDManager> scopes = ConcurrentHashMap.newKeySet();

  @Override
  public String engineName() {
    return "PyTorch";
  }

  @Override
  public String engineVersion() {
    return Engine.getEngine("PyTorch").getVersion();
  }

  @Override
  public String djlVersion() {
    return Engine.getDjlVersion();
  }

  @Override
  public List<DeviceInfo> devices() {
    return List.of(new DeviceInfo("cpu", "cpu", "test"));
  }

  @Override
  public Device device(String spec) {
    if (!"cpu".equals(spec)) {
      throw new NeuriteException("Device " + spec + " is not available in unit tests.");
    }
    return Device.cpu();
  }

  @Override
  public NDManager newScope(String deviceSpec) {
    NDManager scope = root.newSubManager(device(deviceSpec));
    scopes.add(scope);
    return scope;
  }

  /** Autograd as the platform does it. */
  @Override
  public boolean recordGradients(boolean on) {
    return Planted.BACKEND.recordGradients(on);
  }

  @Override
  public void backward(NDArray scalar) {
    Planted.BACKEND.backward(scalar);
  }

  @Override
  public TextTokenizer tokenizer(Path file, NDManager owner) {
    return Planted.BACKEND.tokenizer(file, owner);
  }

  @Override
  public int openScopes() {
    scopes.removeIf(s -> !s.isOpen());
    return scopes.size();
  }

  @Override
  public void close() {
    root.close();
  }
}
