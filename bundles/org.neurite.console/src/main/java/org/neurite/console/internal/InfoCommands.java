package org.neurite.console.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
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
@Component(
    service = InfoCommands.class,
    property = {"osgi.command.scope=neurite", "osgi.command.function=info", "osgi.command.function=selftest"})
public final class InfoCommands {
  private final TensorBackend backend;
  private final Workspace workspace;
  private final BundleContext context;

  @Activate
  public InfoCommands(@Reference TensorBackend backend, @Reference Workspace workspace, BundleContext context) {
    this.backend = backend;
    this.workspace = workspace;
    this.context = context;
  }

  @Descriptor("show the Neurite version, bundles and their states, tensor engine, devices and workspace")
  public String info() {
    Table table = new Table();
    table.row("Neurite", property("neurite.version"));
    table.row("home", property("neurite.home"));
    table.row("workspace", workspace.root().toString());
    table.row("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    table.row("engine", backend.engineName() + " " + backend.engineVersion() + " (DJL " + backend.djlVersion() + ")");
    table.row("native cache", System.getProperty("DJL_CACHE_DIR", "DJL default (~/.djl.ai)"));
    for (DeviceInfo device : backend.devices()) {
      table.row("device " + device.id(), device.description());
    }
    StringBuilder out = new StringBuilder(table.render());
    Bundle[] bundles = context.getBundles();
    long active = java.util.Arrays.stream(bundles).filter(b -> b.getState() == Bundle.ACTIVE).count();
    out.append("\nbundles (").append(active).append(" of ").append(bundles.length).append(" active)\n");
    Table list = new Table();
    for (Bundle bundle : bundles) {
      list.row(String.format("%3d %-9s", bundle.getBundleId(), state(bundle.getState())),
          bundle.getSymbolicName() + " " + bundle.getVersion());
    }
    out.append(list.render());
    return out.toString();
  }

  @Descriptor("check that the tensor backend computes correctly on a device: a matrix product compared with plain Java")
  public String selftest(@Descriptor("device to test: cpu or cuda:N") String device) {
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
    return String.format("ok: %dx%d matmul on %s matches plain Java (max abs error %.2e); open scopes: %d",
        n, n, device, maxError, backend.openScopes());
  }

  @Descriptor("check that the tensor backend computes correctly on the cpu")
  public String selftest() {
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

  /** Two aligned columns. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    void row(String key, String value) {
      rows.add(new String[] {key, value});
    }

    String render() {
      int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
      StringBuilder out = new StringBuilder();
      for (String[] row : rows) {
        out.append("  ").append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1]).append('\n');
      }
      return out.toString();
    }
  }
}
