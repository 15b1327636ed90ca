package org.neurite.models.internal;

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
import org.neurite.backend.djl.internal.DjlTensorBackend;

/**
 * The real PyTorch engine on the plain class path, for unit tests outside OSGi: scopes are
 * sub-managers of one root, and {@link #openScopes()} counts the ones not yet closed.
 */
public final class TestBackend implements TensorBackend {
  private static final TestBackend INSTANCE = new TestBackend();

  private final NDManager root = Engine.getEngine("PyTorch").newBaseManager(Device.cpu());
  private final Set<NDManager> scopes = ConcurrentHashMap.newKeySet();
  /**
   * The platform's backend, for the autograd calls and tokenizers: tests differentiate and tokenize
   * exactly as the platform does.
   */
  private final DjlTensorBackend platform = new DjlTensorBackend();

  private TestBackend() {}

  public static TestBackend get() {
    return INSTANCE;
  }

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

  @Override
  public boolean recordGradients(boolean on) {
    return platform.recordGradients(on);
  }

  @Override
  public void backward(NDArray scalar) {
    platform.backward(scalar);
  }

  @Override
  public TextTokenizer tokenizer(Path file, NDManager owner) {
    return platform.tokenizer(file, owner);
  }

  @Override
  public int openScopes() {
    scopes.removeIf(s -> !s.isOpen());
    return scopes.size();
  }
}
