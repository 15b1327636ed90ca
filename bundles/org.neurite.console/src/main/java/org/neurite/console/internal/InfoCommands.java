package org.neurite.console.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.DeviceInfo;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.workspace.Workspace;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code info} and {@code selftest}: what this installation is and whether it computes. */
@Component(service = InfoCommands.class)
@GogoCommand(scope = "neurite", function = {"info", "selftest"})
public final class InfoCommands {
  private final TensorBackend backend;
  private final Workspace workspace;
  private final BundleContext context;

  /** What {@code info} shows. */
  public record Info(String neurite, String home, String workspace, String java, String engine, String nativeCache,
      List<DeviceInfo> devices, List<BundleState> bundles) {
    public Info {
      devices = List.copyOf(devices);
      bundles = List.copyOf(bundles);
    }
  }

  /** One installed bundle and its state ({@code ACTIVE}, {@code RESOLVED}, ...). */
  public record BundleState(long id, String state, String symbolicName, String version) {}

  /** A passed self-test: the matrix size, the device, the largest difference from plain Java. */
  public record SelfTest(int size, String device, double maxError, int openScopes) {}

  @Activate
  public InfoCommands(@Reference TensorBackend backend, @Reference Workspace workspace, BundleContext context) {
    this.backend = backend;
    this.workspace = workspace;
    this.context = context;
  }

  @Descriptor("show the Neurite version, bundles and their states, tensor engine, devices and workspace")
  public Info info() {
    List<BundleState> bundles = Arrays.stream(context.getBundles())
        .map(b -> new BundleState(b.getBundleId(), state(b.getState()), b.getSymbolicName(), b.getVersion().toString()))
        .toList();
    return new Info(property("neurite.version"), property("neurite.home"), workspace.root().toString(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        backend.engineName() + " " + backend.engineVersion() + " (DJL " + backend.djlVersion() + ")",
        System.getProperty("DJL_CACHE_DIR", "DJL default (~/.djl.ai)"), backend.devices(), bundles);
  }

  @Descriptor("check that the tensor backend computes correctly on a device: a matrix product compared with plain Java")
  public SelfTest selftest(@Descriptor("device to test: cpu or cuda:N") String device) {
    int n = 64;
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((i * 31) % 17 - 8) / 8f;
      b[i] = ((i * 7) % 13 - 6) / 6f;
    }
    float[] expected = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < n; j++) {
          expected[i * n + j] += a[i * n + k] * b[k * n + j];
        }
      }
    }
    float[] actual;
    try (NDManager scope = backend.newScope(device)) {
      NDArray x = scope.create(a, new Shape(n, n));
      NDArray y = scope.create(b, new Shape(n, n));
      actual = x.matMul(y).toFloatArray();
    }
    double maxError = 0;
    for (int i = 0; i < expected.length; i++) {
      maxError = Math.max(maxError, Math.abs(expected[i] - actual[i]));
    }
    if (maxError > 1e-3) {
      throw new IllegalStateException("the " + device + " backend computed a wrong matrix product: max abs error "
          + maxError + " against plain Java");
    }
    return new SelfTest(n, device, maxError, backend.openScopes());
  }

  @Descriptor("check that the tensor backend computes correctly: a matrix product on the cpu compared with plain Java")
  public SelfTest selftest() {
    return selftest("cpu");
  }

  private String property(String key) {
    String value = context.getProperty(key);
    if (value == null) {
      throw new NeuriteException("Framework property " + key + " is not set: start Neurite with bin/neurite"
          + " (or ./neurite), which sets it, rather than a bare Felix.");
    }
    return value;
  }

  private static String state(int state) {
    return switch (state) {
      case Bundle.ACTIVE -> "ACTIVE";
      case Bundle.RESOLVED -> "RESOLVED";
      case Bundle.INSTALLED -> "INSTALLED";
      case Bundle.STARTING -> "STARTING";
      case Bundle.STOPPING -> "STOPPING";
      default -> "UNINSTALLED";
    };
  }
}
