package org.neurite.analysis.internal.steps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurite.analysis.capture.ActivationShards;
import org.neurite.api.context.StepContext;

/**
 * Rows of captured activations held until a shard is full, then written as one artifact of the
 * step; memory is one shard whatever the dataset's size.
 */
final class ShardBuffer {
  private final StepContext context;
  private final Map<String, Integer> hooks;
  private final int capacity;
  private final Map<String, float[]> values = new LinkedHashMap<>();
  private final long[] examples;
  private final long[] positions;
  private final long[] groups;
  private final List<ActivationShards.ShardEntry> written = new ArrayList<>();
  private int rows;
  private long total;

  ShardBuffer(StepContext context, Map<String, Integer> hooks, int capacity) {
    this.context = context;
    this.hooks = hooks;
    this.capacity = capacity;
    hooks.forEach((hook, units) -> values.put(hook, new float[Math.multiplyExact(capacity, units)]));
    examples = new long[capacity];
    positions = new long[capacity];
    groups = new long[capacity];
  }

  /**
   * Adds rows: per hook point {@code count * units} floats, row-major, and each row's labels.
   * Writes every shard that fills.
   */
  void add(Map<String, float[]> batch, long[] example, long[] position, long[] group) throws Exception {
    int count = example.length;
    int from = 0;
    while (from < count) {
      int take = Math.min(capacity - rows, count - from);
      for (Map.Entry<String, Integer> hook : hooks.entrySet()) {
        int units = hook.getValue();
        System.arraycopy(batch.get(hook.getKey()), from * units, values.get(hook.getKey()), rows * units, take * units);
      }
      System.arraycopy(example, from, examples, rows, take);
      System.arraycopy(position, from, positions, rows, take);
      System.arraycopy(group, from, groups, rows, take);
      rows += take;
      from += take;
      if (rows == capacity) {
        flush();
      }
    }
  }

  /** Writes what is held, if anything, and returns every shard written. */
  List<ActivationShards.ShardEntry> finish() throws Exception {
    if (rows > 0) {
      flush();
    }
    return List.copyOf(written);
  }

  long rows() {
    return total + rows;
  }

  private void flush() throws Exception {
    String name = String.format("shard-%05d.safetensors", written.size());
    int n = rows;
    boolean full = n == capacity;
    Map<String, float[]> shard = new LinkedHashMap<>();
    hooks.forEach((hook, units) -> shard.put(hook, full ? values.get(hook) : Arrays.copyOf(values.get(hook), n * units)));
    long[] e = full ? examples : Arrays.copyOf(examples, n);
    long[] p = full ? positions : Arrays.copyOf(positions, n);
    long[] g = full ? groups : Arrays.copyOf(groups, n);
    context.artifacts().write(name, ActivationShards.KIND, temporary -> ActivationShards.writeShard(temporary, hooks, n,
        shard, e, p, g));
    written.add(new ActivationShards.ShardEntry(name, n));
    total += n;
    rows = 0;
  }
}
