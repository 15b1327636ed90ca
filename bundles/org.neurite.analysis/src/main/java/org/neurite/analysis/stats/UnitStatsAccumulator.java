package org.neurite.analysis.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;

/**
 * Streaming per-unit statistics per group for one hook site with U units and G groups.
 *
 * <p>Feed it batches of rows with {@link #add(NDArray, int[])}; combine accumulators over other
 * rows with {@link #merge}; copy the results out with {@link #snapshot()}. The state (six
 * {@code [G, U]} float64 arrays and a {@code [1, U]} shift) lives in a scope this accumulator
 * owns, so memory does not grow with the number of rows; each batch's temporaries live in a
 * child scope closed before {@code add} returns. Close the accumulator when done.
 *
 * <p>Per batch the work is a few large tensor operations: the rows are put in group order (one
 * gather, skipped when they already are), converted to float64 and shifted by a per-unit constant
 * (the first batch's column means, which keeps the sums of squares well conditioned), then summed
 * per group — by reductions when the batch holds one group, otherwise by one one-hot
 * {@code [G_b, n] × [n, U]} matrix product per statistic. The batch's count, mean and M2 are folded
 * into the state by Chan et al.'s parallel update. Active counts are summed exactly. Only the
 * optional statistics copy values out: the sketch (every value), the top-k (the {@code [n, k]}
 * indices) and the row magnitudes ({@code 3·n} numbers).
 *
 * <p>Not thread-safe: one thread feeds one accumulator; merge accumulators fed in parallel.
 */
public final class UnitStatsAccumulator implements AutoCloseable {
  private static final Logger LOG = System.getLogger(UnitStatsAccumulator.class.getName());
  /** Up to this many groups in a batch are summed slice by slice; more go through one-hot products. */
  static final int SLICED_GROUPS = 8;
  /** Rows are processed in blocks of about this many values (4 MiB in float64), to stay in cache. */
  static final int CHUNK_CELLS = 1 << 19;

  private final String site;
  private final List<String> groups;
  private final int units;
  private final StatsOptions options;
  private final NDManager state;
  private final long[] count;
  private final NDArray mean;
  private final NDArray m2;
  private final NDArray active;
  private final NDArray sumAbs;
  private final NDArray min;
  private final NDArray max;
  private NDArray shift;
  private final long[] sketch;
  private final long[] topK;
  private final RowMagnitudes[] rowMagnitudes;
  private long rows;
  private int slicedGroups = SLICED_GROUPS;
  private int chunkCells = CHUNK_CELLS;

  private UnitStatsAccumulator(String site, List<String> groups, int units, StatsOptions options, NDManager state) {
    this.site = site;
    this.groups = List.copyOf(groups);
    this.units = units;
    this.options = options;
    this.state = state;
    int g = groups.size();
    Shape shape = new Shape(g, units);
    this.count = new long[g];
    this.mean = state.zeros(shape, DataType.FLOAT64);
    this.m2 = state.zeros(shape, DataType.FLOAT64);
    this.active = state.zeros(shape, DataType.FLOAT64);
    this.sumAbs = state.zeros(shape, DataType.FLOAT64);
    this.min = state.full(shape, Float.POSITIVE_INFINITY, DataType.FLOAT64);
    this.max = state.full(shape, Float.NEGATIVE_INFINITY, DataType.FLOAT64);
    this.sketch = options.sketch().map(l -> new long[g * units * l.bins()]).orElse(null);
    this.topK = options.topK() > 0 ? new long[g * units] : null;
    if (options.rowMagnitudes()) {
      this.rowMagnitudes = new RowMagnitudes[g];
      Arrays.fill(rowMagnitudes, RowMagnitudes.empty());
    } else {
      this.rowMagnitudes = null;
    }
  }

  /**
   * Opens an accumulator whose state lives in a new scope of {@code backend} on {@code device}.
   *
   * @param site the hook site, kept as a label (e.g. {@code blocks.3.mlp.hook_post})
   * @param groups the group names; row groups are indices into this list
   * @param units U, the width of every batch
   * @throws NeuriteException if the groups are empty or repeat a name, U is not positive, the
   *     top-k is wider than U, the sketch would not fit in a Java array, or the device is missing
   */
  public static UnitStatsAccumulator open(TensorBackend backend, String device, String site, List<String> groups,
      int units, StatsOptions options) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(options, "options");
    if (groups == null || groups.isEmpty()) {
      throw new NeuriteException("Statistics for " + site + " need at least one group: name the groups rows"
          + " belong to, e.g. [\"en\", \"zh\"], or one group [\"all\"].");
    }
    if (new HashSet<>(groups).size() != groups.size()) {
      throw new NeuriteException("The groups " + groups + " for " + site + " repeat a name: name each group once.");
    }
    if (units <= 0) {
      throw new NeuriteException("Statistics for " + site + " need a positive number of units, not " + units + ".");
    }
    if (options.topK() > units) {
      throw new NeuriteException("topK " + options.topK() + " is wider than the " + units + " units of " + site
          + ": give at most " + units + ".");
    }
    if (options.sketch().isPresent()
        && (long) groups.size() * units * options.sketch().get().bins() > Integer.MAX_VALUE - 8) {
      throw new NeuriteException("A quantile sketch of " + groups.size() + " groups x " + units + " units x "
          + options.sketch().get().bins() + " bins does not fit in one Java array: use fewer bins (a smaller"
          + " exponent range or fewer subBinBits) or accumulate fewer groups per accumulator.");
    }
    NDManager scope = backend.newScope(device);
    try {
      scope.setName("stats " + site);
      return new UnitStatsAccumulator(site, groups, units, options, scope);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** The hook site. */
  public String site() {
    return site;
  }

  /** The group names. */
  public List<String> groups() {
    return groups;
  }

  /** U. */
  public int units() {
    return units;
  }

  /** What this accumulator computes. */
  public StatsOptions options() {
    return options;
  }

  /** Rows added so far (merged rows included). */
  public long rows() {
    return rows;
  }

  /** Adds a batch whose rows all belong to one group. */
  public void add(NDArray values, int group) {
    long n = values.getShape().dimension() == 2 ? values.getShape().get(0) : 0;
    int[] groupOfRow = new int[(int) Math.min(n, Integer.MAX_VALUE)];
    Arrays.fill(groupOfRow, group);
    add(values, groupOfRow);
  }

  /**
   * Adds a batch of rows.
   *
   * @param values {@code [n, U]}, any floating-point type (float16, float32 and float64 are tested);
   *     left as it is, in its owner's scope
   * @param groupOfRow {@code [n]}: the group index of each row
   * @throws NeuriteException if the shape, type or group indices are wrong, or this is closed
   */
  public void add(NDArray values, int[] groupOfRow) {
    checkOpen();
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(groupOfRow, "groupOfRow");
    Shape shape = values.getShape();
    if (shape.dimension() != 2 || shape.get(1) != units) {
      throw new NeuriteException("Rows for " + site + " must have shape [n, " + units + "]; got " + shape
          + ". Flatten [batch, pos, units] to [batch*pos, units] and drop padding rows first.");
    }
    if (!values.getDataType().isFloating()) {
      throw new NeuriteException("Rows for " + site + " must be floating point; got " + values.getDataType()
          + ". Convert them with toType(DataType.FLOAT32, false).");
    }
    int n = Math.toIntExact(shape.get(0));
    if (groupOfRow.length != n) {
      throw new NeuriteException("The batch for " + site + " has " + n + " rows but " + groupOfRow.length
          + " group indices: give one group index per row.");
    }
    if (n == 0) {
      return;
    }
    if (n >= 1 << 24) {
      throw new NeuriteException("The batch for " + site + " has " + n + " rows; add at most " + ((1 << 24) - 1)
          + " rows at a time (split the batch).");
    }
    Batch batch = Batch.of(groupOfRow, groups, site);
    try (NDManager scope = state.newSubManager()) {
      scope.tempAttachAll(values);
      NDArray x = values.getDevice().equals(state.getDevice()) ? values : values.toDevice(state.getDevice(), false);
      NDArray ordered = batch.permutation() == null ? x : x.get(new NDIndex("{}", scope.create(batch.permutation())));
      foldCheap(scope, ordered, batch);
      if (sketch != null) {
        addSketch(ordered, batch);
      }
      if (topK != null) {
        addTopK(ordered, batch);
      }
      if (rowMagnitudes != null) {
        addRowMagnitudes(ordered, batch);
      }
    }
    for (int g = 0; g < groups.size(); g++) {
      count[g] += batch.counts()[g];
    }
    rows += n;
  }

  /** Count, mean, M2, active count, sum |x|, min and max of the batch, folded into the state. */
  private void foldCheap(NDManager scope, NDArray ordered, Batch batch) {
    // compared with a scalar array of the rows' own type, and counted as float32 (exact below 2^24 rows):
    // both much faster than comparing with a Java number and summing booleans
    NDArray threshold = scope.create(new double[] {options.activeAbove()}).toType(ordered.getDataType(), false);
    int[] present = batch.present();
    int gp = present.length;
    int[] offsets = batch.offsets();
    boolean sliced = gp <= slicedGroups;
    int chunkRows = Math.max(1, chunkCells / units);
    // per present group (sliced) or for all present groups at once (one-hot): Σy, Σy², Σ|x|, #(x > t), min, max
    NDArray[][] sums = new NDArray[sliced ? gp : 1][4];
    NDArray[] mins = new NDArray[gp];
    NDArray[] maxs = new NDArray[gp];
    int[] axis = {0};
    for (int[] chunk : chunks(offsets, batch.rows(), chunkRows, sliced)) {
      int from = chunk[0];
      int to = chunk[1];
      // a block of rows small enough to stay in cache through the float64 passes below
      NDArray x = ordered.get(from + ":" + to);
      NDArray d = x.getDataType() == DataType.FLOAT64 ? x : x.toType(DataType.FLOAT64, false);
      if (shift == null) {
        shift = d.mean(axis, true);
        shift.attach(state);
      }
      NDArray y = d.sub(shift);
      NDArray[] terms = {y, y.mul(y), d.abs(), x.gt(threshold).toType(DataType.FLOAT32, false)};
      NDArray[] partial = new NDArray[4];
      if (sliced) {
        for (int t = 0; t < 4; t++) {
          partial[t] = terms[t].sum(axis, true);
        }
      } else {
        NDArray oneHot = scope.create(batch.oneHot(from, to), new Shape(gp, to - from));
        for (int t = 0; t < 3; t++) {
          partial[t] = oneHot.matMul(terms[t]);
        }
        partial[3] = oneHot.toType(DataType.FLOAT32, false).matMul(terms[3]);
      }
      NDArray[] into = sums[sliced ? chunk[2] : 0];
      for (int t = 0; t < 4; t++) {
        into[t] = into[t] == null ? partial[t] : into[t].add(partial[t]);
      }
      for (int i = 0; i < gp; i++) {
        int a = Math.max(from, offsets[i]);
        int b = Math.min(to, offsets[i + 1]);
        if (a < b) {
          NDArray rowsOfGroup = a == from && b == to ? x : x.get((a - from) + ":" + (b - from));
          NDArray lo = fold(rowsOfGroup, false);
          NDArray hi = fold(rowsOfGroup, true);
          mins[i] = mins[i] == null ? lo : mins[i].minimum(lo);
          maxs[i] = maxs[i] == null ? hi : maxs[i].maximum(hi);
        }
      }
    }
    NDArray s1 = stackColumn(sums, 0);
    NDArray s2 = stackColumn(sums, 1);
    NDArray sAbs = stackColumn(sums, 2);
    NDArray sActive = stackColumn(sums, 3).toType(DataType.FLOAT64, false);
    NDArray bMin = stack(new NDList(mins));
    NDArray bMax = stack(new NDList(maxs));
    double[] invNb = new double[gp];
    double[] wb = new double[gp];
    double[] cross = new double[gp];
    for (int i = 0; i < gp; i++) {
      double na = count[present[i]];
      double nb = batch.counts()[present[i]];
      invNb[i] = 1 / nb;
      wb[i] = nb / (na + nb);
      cross[i] = na * nb / (na + nb);
    }
    Shape column = new Shape(gp, 1);
    NDArray meanB = s1.mul(scope.create(invNb, column)).add(shift);
    NDArray m2B = s2.sub(s1.mul(s1).mul(scope.create(invNb, column))).maximum(0);
    long[] presentIndex = Arrays.stream(present).asLongStream().toArray();
    NDIndex at = new NDIndex("{}", scope.create(presentIndex));
    NDArray meanA = mean.get(scope, at);
    NDArray delta = meanB.sub(meanA);
    NDArray newMean = meanA.add(delta.mul(scope.create(wb, column)));
    NDArray newM2 = m2.get(scope, at).add(m2B).add(delta.mul(delta).mul(scope.create(cross, column)));
    NDArray newActive = active.get(scope, at).add(sActive);
    NDArray newSumAbs = sumAbs.get(scope, at).add(sAbs);
    NDArray newMin = min.get(scope, at).minimum(bMin.toType(DataType.FLOAT64, false));
    NDArray newMax = max.get(scope, at).maximum(bMax.toType(DataType.FLOAT64, false));
    mean.set(at, newMean);
    m2.set(at, newM2);
    active.set(at, newActive);
    sumAbs.set(at, newSumAbs);
    min.set(at, newMin);
    max.set(at, newMax);
  }

  /**
   * The elementwise max (or min) of a slice's rows, {@code [1, U]}, by halving: elementwise
   * maximum of the two halves until one row is left (an odd row out waits in a list). The
   * engine's own reduction over the outer axis is several times slower on CPU.
   */
  private static NDArray fold(NDArray rows, boolean max) {
    NDArray folded = rows;
    List<NDArray> leftOver = new ArrayList<>();
    long n = folded.getShape().get(0);
    while (n > 1) {
      long half = n / 2;
      if (n % 2 == 1) {
        leftOver.add(folded.get((n - 1) + ":" + n));
      }
      NDArray a = folded.get("0:" + half);
      NDArray b = folded.get(half + ":" + 2 * half);
      folded = max ? a.maximum(b) : a.minimum(b);
      n = half;
    }
    for (NDArray row : leftOver) {
      folded = max ? folded.maximum(row) : folded.minimum(row);
    }
    return folded;
  }

  /**
   * Row blocks {@code {from, to, group}} of at most {@code rows} rows: within one group each when
   * {@code sliced} (the group's position in {@code offsets}), else across groups (group -1).
   */
  private static List<int[]> chunks(int[] offsets, int n, int rows, boolean sliced) {
    List<int[]> chunks = new ArrayList<>();
    if (sliced) {
      for (int i = 0; i + 1 < offsets.length; i++) {
        for (int from = offsets[i]; from < offsets[i + 1]; from += rows) {
          chunks.add(new int[] {from, Math.min(offsets[i + 1], from + rows), i});
        }
      }
    } else {
      for (int from = 0; from < n; from += rows) {
        chunks.add(new int[] {from, Math.min(n, from + rows), -1});
      }
    }
    return chunks;
  }

  /** Statistic {@code t} of every group (sliced) or of the one-hot product, {@code [G_b, U]}. */
  private static NDArray stackColumn(NDArray[][] sums, int t) {
    NDList column = new NDList(sums.length);
    for (NDArray[] group : sums) {
      column.add(group[t]);
    }
    return stack(column);
  }

  private static NDArray stack(NDList rows) {
    return rows.size() == 1 ? rows.get(0) : NDArrays.concat(rows);
  }

  /** Bins every value in Java; values are read as float32. */
  private void addSketch(NDArray ordered, Batch batch) {
    SketchLayout layout = options.sketch().get();
    float[] values = (ordered.getDataType() == DataType.FLOAT32 ? ordered : ordered.toType(DataType.FLOAT32, false))
        .toFloatArray();
    int bins = layout.bins();
    int[] groupOfOrdered = batch.groupOfOrderedRow();
    for (int r = 0; r < groupOfOrdered.length; r++) {
      int base = groupOfOrdered[r] * units * bins;
      int row = r * units;
      for (int u = 0; u < units; u++) {
        sketch[base + u * bins + layout.binOf(values[row + u])]++;
      }
    }
  }

  /** The top-k on the backend; only the {@code [n, k]} indices are copied out. */
  private void addTopK(NDArray ordered, Batch batch) {
    NDArray ranked = options.topKRanking() == TopKRanking.MAGNITUDE ? ordered.abs() : ordered;
    long[] indices = ranked.topK(options.topK(), 1, true, false).get(1).toLongArray();
    int k = options.topK();
    int[] groupOfOrdered = batch.groupOfOrderedRow();
    for (int r = 0; r < groupOfOrdered.length; r++) {
      int base = groupOfOrdered[r] * units;
      for (int j = 0; j < k; j++) {
        topK[base + (int) indices[r * k + j]]++;
      }
    }
  }

  /** Max, argmax and median of |x| per row on the backend; the per-group folding of n numbers in Java. */
  private void addRowMagnitudes(NDArray ordered, Batch batch) {
    NDArray magnitudes = ordered.abs();
    int[] axis = {1};
    double[] rowMax = magnitudes.max(axis).toType(DataType.FLOAT64, false).toDoubleArray();
    long[] rowArgMax = magnitudes.argMax(1).toLongArray();
    double[] rowMedian = magnitudes.median(axis).toType(DataType.FLOAT64, false).toDoubleArray();
    int[] groupOfOrdered = batch.groupOfOrderedRow();
    long[] permutation = batch.permutation();
    for (int r = 0; r < groupOfOrdered.length; r++) {
      long row = rows + (permutation == null ? r : permutation[r]);
      int g = groupOfOrdered[r];
      rowMagnitudes[g] = rowMagnitudes[g].with(row, rowMax[r], (int) rowArgMax[r], rowMedian[r]);
    }
  }

  /**
   * Adds another accumulator's rows, as if they had been added here after this one's: afterwards
   * this holds the statistics of both, and {@code other} is unchanged (close it yourself).
   *
   * @throws NeuriteException if the two differ in site, groups, units or options, or either is closed
   */
  public void merge(UnitStatsAccumulator other) {
    checkOpen();
    Objects.requireNonNull(other, "other");
    other.checkOpen();
    if (other == this) {
      throw new NeuriteException("An accumulator cannot be merged into itself: merge another accumulator, or"
          + " merge two snapshots of this one.");
    }
    if (!site.equals(other.site) || !groups.equals(other.groups) || units != other.units
        || !options.equals(other.options)) {
      throw new NeuriteException("Cannot merge the statistics of " + other.site + " (groups " + other.groups + ", "
          + other.units + " units, " + other.options + ") into those of " + site + " (groups " + groups + ", "
          + units + " units, " + options + "): merge only shards of one site with the same groups, units and"
          + " options.");
    }
    int g = groups.size();
    double[] wb = new double[g];
    double[] cross = new double[g];
    for (int i = 0; i < g; i++) {
      double n = count[i] + other.count[i];
      wb[i] = n == 0 ? 0 : other.count[i] / n;
      cross[i] = n == 0 ? 0 : count[i] * (double) other.count[i] / n;
    }
    Device device = state.getDevice();
    try (NDManager scope = state.newSubManager()) {
      // every operand in the batch scope, so results land there too; both states return on close
      scope.tempAttachAll(mean, m2, active, sumAbs, min, max);
      scope.tempAttachAll(other.mean, other.m2, other.active, other.sumAbs, other.min, other.max);
      Shape column = new Shape(g, 1);
      NDArray delta = other.mean.toDevice(device, false).sub(mean);
      NDArray newMean = mean.add(delta.mul(scope.create(wb, column)));
      NDArray newM2 = m2.add(other.m2.toDevice(device, false)).add(delta.mul(delta).mul(scope.create(cross, column)));
      NDArray newActive = active.add(other.active.toDevice(device, false));
      NDArray newSumAbs = sumAbs.add(other.sumAbs.toDevice(device, false));
      NDArray newMin = min.minimum(other.min.toDevice(device, false));
      NDArray newMax = max.maximum(other.max.toDevice(device, false));
      NDIndex all = new NDIndex(":");
      mean.set(all, newMean);
      m2.set(all, newM2);
      active.set(all, newActive);
      sumAbs.set(all, newSumAbs);
      min.set(all, newMin);
      max.set(all, newMax);
    }
    if (shift == null && other.shift != null) {
      shift = other.shift.toDevice(device, true);
      shift.attach(state);
    }
    for (int i = 0; i < g; i++) {
      count[i] += other.count[i];
      if (rowMagnitudes != null) {
        rowMagnitudes[i] = rowMagnitudes[i].merge(other.rowMagnitudes[i], rows);
      }
    }
    if (sketch != null) {
      for (int i = 0; i < sketch.length; i++) {
        sketch[i] += other.sketch[i];
      }
    }
    if (topK != null) {
      for (int i = 0; i < topK.length; i++) {
        topK[i] += other.topK[i];
      }
    }
    rows += other.rows;
  }

  /** Copies the statistics so far into an immutable snapshot; this accumulator goes on. */
  public UnitStats snapshot() {
    checkOpen();
    double[] activeCounts = active.toDoubleArray();
    long[] exactActive = new long[activeCounts.length];
    for (int i = 0; i < activeCounts.length; i++) {
      exactActive[i] = Math.round(activeCounts[i]);
    }
    return new UnitStats(site, groups, units, options, rows, count.clone(), mean.toDoubleArray(),
        m2.toDoubleArray(), exactActive, sumAbs.toDoubleArray(), min.toDoubleArray(), max.toDoubleArray(),
        sketch == null ? null : sketch.clone(), topK == null ? null : topK.clone(),
        rowMagnitudes == null ? null : List.of(rowMagnitudes));
  }

  /**
   * Sets how many groups a batch may hold and still be summed by slices, and the size of a row
   * block in values (tests reach every path with small data).
   */
  UnitStatsAccumulator paths(int groups, int cells) {
    this.slicedGroups = groups;
    this.chunkCells = cells;
    return this;
  }

  /** Native arrays this accumulator's scope holds now (for leak tests). */
  int nativeArrays() {
    return state.getManagedArrays().size();
  }

  private void checkOpen() {
    if (!state.isOpen()) {
      throw new NeuriteException("The statistics accumulator for " + site + " is closed: take its snapshot()"
          + " before closing it.");
    }
  }

  /** Frees the native state. */
  @Override
  public void close() {
    if (state.isOpen()) {
      LOG.log(Level.DEBUG, "closing statistics of {0} after {1} rows", site, rows);
      state.close();
    }
  }

  /** The grouping of one batch, worked out in Java from the group indices. */
  private record Batch(int rows, int[] counts, int[] present, int[] offsets, long[] permutation,
      int[] groupOfOrderedRow) {

    static Batch of(int[] groupOfRow, List<String> groups, String site) {
      int g = groups.size();
      int[] counts = new int[g];
      boolean ordered = true;
      for (int r = 0; r < groupOfRow.length; r++) {
        int group = groupOfRow[r];
        if (group < 0 || group >= g) {
          throw new NeuriteException("Row " + r + " of the batch for " + site + " names group " + group
              + ", but there are " + g + " groups " + groups + ": give indices 0 to " + (g - 1) + ".");
        }
        counts[group]++;
        if (r > 0 && group < groupOfRow[r - 1]) {
          ordered = false;
        }
      }
      List<Integer> presentList = new ArrayList<>();
      for (int i = 0; i < g; i++) {
        if (counts[i] > 0) {
          presentList.add(i);
        }
      }
      int[] present = presentList.stream().mapToInt(Integer::intValue).toArray();
      int[] offsets = new int[present.length + 1];
      int[] start = new int[g];
      for (int i = 0; i < present.length; i++) {
        offsets[i + 1] = offsets[i] + counts[present[i]];
        start[present[i]] = offsets[i];
      }
      int[] groupOfOrdered = new int[groupOfRow.length];
      long[] permutation = ordered ? null : new long[groupOfRow.length];
      int[] next = start.clone();
      for (int r = 0; r < groupOfRow.length; r++) {
        int slot = next[groupOfRow[r]]++;
        groupOfOrdered[slot] = groupOfRow[r];
        if (permutation != null) {
          permutation[slot] = r;
        }
      }
      return new Batch(groupOfRow.length, counts, present, offsets, permutation, groupOfOrdered);
    }

    /**
     * {@code [G_b, to - from]}: the one-hot of ordered rows {@code from} to {@code to}; row i marks
     * the rows of the i-th present group.
     */
    double[] oneHot(int from, int to) {
      int width = to - from;
      double[] oneHot = new double[present.length * width];
      for (int i = 0; i < present.length; i++) {
        int a = Math.max(from, offsets[i]);
        int b = Math.min(to, offsets[i + 1]);
        if (a < b) {
          Arrays.fill(oneHot, i * width + a - from, i * width + b - from, 1);
        }
      }
      return oneHot;
    }
  }
}
