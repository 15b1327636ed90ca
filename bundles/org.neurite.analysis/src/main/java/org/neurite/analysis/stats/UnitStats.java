package org.neurite.analysis.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.neurite.api.NeuriteException;

/**
 * An immutable snapshot of per-unit statistics per group for one hook site: plain Java arrays,
 * nothing native. Snapshots of shards of the same stream {@link #merge merge} into the snapshot of
 * the whole stream, and {@link StatsFiles} writes and reads them.
 *
 * <p>Every per-group accessor returns a fresh array of length U (the units). Formulas, with
 * {@code n_g} the rows of group g: mean {@code μ = Σx/n}; {@code M2 = Σ(x-μ)²}; population variance
 * {@code M2/n}; sample variance {@code M2/(n-1)}; activation probability {@code #(x > t)/n}; mean
 * absolute value {@code Σ|x|/n}; mean square {@code M2/n + μ²}. A group with no rows has mean 0,
 * variance NaN, minimum +∞ and maximum −∞ (the neutral elements of a merge).
 */
public final class UnitStats {
  private final String site;
  private final List<String> groups;
  private final int units;
  private final StatsOptions options;
  private final long rows;
  private final long[] count;
  private final double[] mean;
  private final double[] m2;
  private final long[] active;
  private final double[] sumAbs;
  private final double[] min;
  private final double[] max;
  private final long[] sketch;
  private final long[] topK;
  private final List<RowMagnitudes> rowMagnitudes;

  /** Takes ownership of the arrays (flat, group-major: {@code [G, U]}, the sketch {@code [G, U, bins]}). */
  UnitStats(String site, List<String> groups, int units, StatsOptions options, long rows, long[] count,
      double[] mean, double[] m2, long[] active, double[] sumAbs, double[] min, double[] max, long[] sketch,
      long[] topK, List<RowMagnitudes> rowMagnitudes) {
    this.site = Objects.requireNonNull(site, "site");
    this.groups = List.copyOf(groups);
    this.units = units;
    this.options = Objects.requireNonNull(options, "options");
    this.rows = rows;
    int cells = groups.size() * units;
    check(count.length == groups.size() && mean.length == cells && m2.length == cells && active.length == cells
        && sumAbs.length == cells && min.length == cells && max.length == cells, "statistics arrays");
    check(options.sketch().isPresent() == (sketch != null)
        && (sketch == null || sketch.length == (long) cells * options.sketch().get().bins()), "sketch counts");
    check((options.topK() > 0) == (topK != null) && (topK == null || topK.length == cells), "top-k counts");
    check(options.rowMagnitudes() == (rowMagnitudes != null)
        && (rowMagnitudes == null || rowMagnitudes.size() == groups.size()), "row magnitudes");
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
    this.active = active;
    this.sumAbs = sumAbs;
    this.min = min;
    this.max = max;
    this.sketch = sketch;
    this.topK = topK;
    this.rowMagnitudes = rowMagnitudes == null ? null : List.copyOf(rowMagnitudes);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("inconsistent " + what + " for a UnitStats snapshot");
    }
  }

  /** The hook site the rows came from, e.g. {@code blocks.3.mlp.hook_post}. */
  public String site() {
    return site;
  }

  /** The group names, in index order. */
  public List<String> groups() {
    return groups;
  }

  /** U, the number of units. */
  public int units() {
    return units;
  }

  /** What was computed. */
  public StatsOptions options() {
    return options;
  }

  /** Rows seen, over all groups. */
  public long rows() {
    return rows;
  }

  /**
   * The index of a group.
   *
   * @throws NeuriteException if there is no such group; the message lists those there are
   */
  public int group(String name) {
    int index = groups.indexOf(name);
    if (index < 0) {
      throw new NeuriteException("No group '" + name + "' in the statistics of " + site + "; its groups are "
          + groups + ". Name one of these.");
    }
    return index;
  }

  private int checked(int group) {
    if (group < 0 || group >= groups.size()) {
      throw new NeuriteException("Group index " + group + " is out of range: the statistics of " + site
          + " have " + groups.size() + " groups " + groups + ".");
    }
    return group;
  }

  private double[] slice(double[] values, int group) {
    int from = checked(group) * units;
    return Arrays.copyOfRange(values, from, from + units);
  }

  /** Rows of a group ({@code n_g}). */
  public long count(int group) {
    return count[checked(group)];
  }

  /** Rows of every group. */
  public long[] counts() {
    return count.clone();
  }

  /** Mean {@code Σx/n} per unit, {@code [U]}. */
  public double[] mean(int group) {
    return slice(mean, group);
  }

  /** Sum of squared deviations {@code M2 = Σ(x-μ)²} per unit, {@code [U]}. */
  public double[] m2(int group) {
    return slice(m2, group);
  }

  /** Population variance {@code M2/n} per unit (NaN with no rows), {@code [U]}. */
  public double[] variance(int group) {
    return divided(m2(group), count(group));
  }

  /** Sample variance {@code M2/(n-1)} per unit (NaN with fewer than two rows), {@code [U]}. */
  public double[] sampleVariance(int group) {
    return divided(m2(group), count(group) - 1);
  }

  /** Rows with {@code x > activeAbove}, per unit (exact), {@code [U]}. */
  public long[] activeCount(int group) {
    int from = checked(group) * units;
    return Arrays.copyOfRange(active, from, from + units);
  }

  /** Activation probability {@code #(x > activeAbove)/n} per unit (NaN with no rows), {@code [U]}. */
  public double[] activeProbability(int group) {
    long[] counts = activeCount(group);
    double[] p = new double[units];
    long n = count(group);
    for (int u = 0; u < units; u++) {
      p[u] = n == 0 ? Double.NaN : (double) counts[u] / n;
    }
    return p;
  }

  /** Sum of {@code |x|} per unit, {@code [U]}. */
  public double[] sumAbs(int group) {
    return slice(sumAbs, group);
  }

  /** Mean absolute value {@code Σ|x|/n} per unit (NaN with no rows), {@code [U]}. */
  public double[] meanAbs(int group) {
    return divided(sumAbs(group), count(group));
  }

  /** Mean square {@code E[x²] = M2/n + μ²} per unit (NaN with no rows), {@code [U]}. */
  public double[] meanSquare(int group) {
    double[] result = variance(group);
    double[] mu = mean(group);
    for (int u = 0; u < units; u++) {
      result[u] += mu[u] * mu[u];
    }
    return result;
  }

  /** Smallest value per unit (+∞ with no rows), {@code [U]}. */
  public double[] min(int group) {
    return slice(min, group);
  }

  /** Largest value per unit (−∞ with no rows), {@code [U]}. */
  public double[] max(int group) {
    return slice(max, group);
  }

  private double[] divided(double[] values, long by) {
    for (int u = 0; u < values.length; u++) {
      values[u] = by <= 0 ? Double.NaN : values[u] / by;
    }
    return values;
  }

  /**
   * How often each unit was among a row's top k, per unit, {@code [U]}.
   *
   * @throws NeuriteException if the top-k frequency was not asked for
   */
  public long[] topKCounts(int group) {
    if (topK == null) {
      throw new NeuriteException("The statistics of " + site + " have no top-k frequency: accumulate with"
          + " StatsOptions.withTopK(k, ranking).");
    }
    int from = checked(group) * units;
    return Arrays.copyOfRange(topK, from, from + units);
  }

  /**
   * Per-row magnitude statistics of a group.
   *
   * @throws NeuriteException if they were not asked for
   */
  public RowMagnitudes rowMagnitudes(int group) {
    if (rowMagnitudes == null) {
      throw new NeuriteException("The statistics of " + site + " have no row magnitudes: accumulate with"
          + " StatsOptions.withRowMagnitudes().");
    }
    return rowMagnitudes.get(checked(group));
  }

  private SketchLayout layout() {
    return options.sketch().orElseThrow(() -> new NeuriteException("The statistics of " + site
        + " have no quantile sketch: accumulate with StatsOptions.withSketch(SketchLayout.standard())."));
  }

  /** One unit's sketch counts in bin order ({@link SketchLayout}), {@code [bins]}. */
  public long[] sketchCounts(int group, int unit) {
    int bins = layout().bins();
    long from = ((long) checked(group) * units + checkedUnit(unit)) * bins;
    return Arrays.copyOfRange(sketch, (int) from, (int) from + bins);
  }

  private int checkedUnit(int unit) {
    if (unit < 0 || unit >= units) {
      throw new NeuriteException("Unit " + unit + " is out of range: " + site + " has " + units + " units.");
    }
    return unit;
  }

  /**
   * The q-quantile of each unit from the sketch: an estimate of the exact lower quantile
   * {@code x_(k)}, {@code k = max(1, ceil(q·n))} of the sorted values, within the bound that
   * {@link SketchLayout} states. NaN with no rows. {@code [U]}
   *
   * @param q in [0, 1]
   */
  public double[] quantiles(int group, double q) {
    SketchLayout layout = layout();
    checkQuantile(q);
    double[] result = new double[units];
    long n = count(group);
    int bins = layout.bins();
    for (int u = 0; u < units; u++) {
      int from = (group * units + u) * bins;
      result[u] = n == 0 ? Double.NaN
          : clamp(layout.representative(binOfRank(sketch, from, bins, rank(q, n))), min[group * units + u],
              max[group * units + u]);
    }
    return result;
  }

  /**
   * The q-quantile of all values of a group pooled over every unit (a layer-wide threshold, as
   * CATS and CHESS use), within the same bound.
   */
  public double pooledQuantile(int group, double q) {
    SketchLayout layout = layout();
    checkQuantile(q);
    int bins = layout.bins();
    long[] pooled = new long[bins];
    for (int u = 0; u < units; u++) {
      int from = (checked(group) * units + u) * bins;
      for (int b = 0; b < bins; b++) {
        pooled[b] += sketch[from + b];
      }
    }
    long n = count(group) * units;
    if (n == 0) {
      return Double.NaN;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int u = 0; u < units; u++) {
      lo = Math.min(lo, min[group * units + u]);
      hi = Math.max(hi, max[group * units + u]);
    }
    return clamp(layout.representative(binOfRank(pooled, 0, bins, rank(q, n))), lo, hi);
  }

  private static void checkQuantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new NeuriteException("Quantile level " + q + " is outside [0, 1]: give e.g. 0.95 for the 95th"
          + " percentile.");
    }
  }

  private static long rank(double q, long n) {
    return Math.max(1, (long) Math.ceil(q * n));
  }

  private static int binOfRank(long[] counts, int from, int bins, long rank) {
    long seen = 0;
    for (int b = 0; b < bins; b++) {
      seen += counts[from + b];
      if (seen >= rank) {
        return b;
      }
    }
    return bins - 1;
  }

  private static double clamp(double value, double lo, double hi) {
    return Math.max(lo, Math.min(hi, value));
  }

  /**
   * This snapshot followed by another of the same site, groups, units and options: the result is
   * what one accumulator fed this snapshot's rows and then {@code later}'s would give (up to
   * floating-point rounding of means and variances; counts, extremes, sketches and top-k counts
   * are exact).
   *
   * @throws NeuriteException if the two do not describe the same thing
   */
  public UnitStats merge(UnitStats later) {
    checkCompatible(later);
    int cells = groups.size() * units;
    long[] newCount = new long[groups.size()];
    double[] newMean = new double[cells];
    double[] newM2 = new double[cells];
    for (int g = 0; g < groups.size(); g++) {
      newCount[g] = count[g] + later.count[g];
      ChanUpdate.combine(count[g], mean, m2, later.count[g], later.mean, later.m2, g * units, units, newMean, newM2);
    }
    long[] newActive = add(active, later.active);
    double[] newSumAbs = new double[cells];
    double[] newMin = new double[cells];
    double[] newMax = new double[cells];
    for (int i = 0; i < cells; i++) {
      newSumAbs[i] = sumAbs[i] + later.sumAbs[i];
      newMin[i] = Math.min(min[i], later.min[i]);
      newMax[i] = Math.max(max[i], later.max[i]);
    }
    List<RowMagnitudes> newRows = null;
    if (rowMagnitudes != null) {
      newRows = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        newRows.add(rowMagnitudes.get(g).merge(later.rowMagnitudes.get(g), rows));
      }
    }
    return new UnitStats(site, groups, units, options, rows + later.rows, newCount, newMean, newM2, newActive,
        newSumAbs, newMin, newMax, sketch == null ? null : add(sketch, later.sketch),
        topK == null ? null : add(topK, later.topK), newRows);
  }

  private void checkCompatible(UnitStats other) {
    List<String> problems = new ArrayList<>();
    if (!site.equals(other.site)) {
      problems.add("sites " + site + " and " + other.site);
    }
    if (!groups.equals(other.groups)) {
      problems.add("groups " + groups + " and " + other.groups);
    }
    if (units != other.units) {
      problems.add("units " + units + " and " + other.units);
    }
    if (!options.equals(other.options)) {
      problems.add("options " + options + " and " + other.options);
    }
    if (!problems.isEmpty()) {
      throw new NeuriteException("Cannot merge statistics that differ in " + String.join(", ", problems)
          + ": merge only shards of one site accumulated with the same groups, units and options.");
    }
  }

  private static long[] add(long[] a, long[] b) {
    long[] sum = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      sum[i] = a[i] + b[i];
    }
    return sum;
  }

  /**
   * The rows of several groups pooled into one group (row-weighted: the pooled mean is
   * {@code Σ n_g μ_g / Σ n_g}), e.g. "all other languages" for a target-vs-others contrast.
   *
   * @throws NeuriteException if a group is unknown or named twice, or none is named
   */
  public UnitStats pool(String name, List<String> members) {
    if (members.isEmpty()) {
      throw new NeuriteException("Pooling needs at least one group; the groups of " + site + " are " + groups + ".");
    }
    if (members.stream().distinct().count() != members.size()) {
      throw new NeuriteException("Pooled groups " + members + " name a group twice; name each once.");
    }
    UnitStats pooled = null;
    for (String member : members) {
      UnitStats one = only(group(member), name);
      pooled = pooled == null ? one : pooled.poolWith(one);
    }
    return pooled;
  }

  /** One group as a one-group snapshot called {@code name}. */
  private UnitStats only(int g, String name) {
    int from = g * units;
    int to = from + units;
    int bins = sketch == null ? 0 : options.sketch().get().bins();
    return new UnitStats(site, List.of(name), units, options, rows, new long[] {count[g]},
        Arrays.copyOfRange(mean, from, to), Arrays.copyOfRange(m2, from, to), Arrays.copyOfRange(active, from, to),
        Arrays.copyOfRange(sumAbs, from, to), Arrays.copyOfRange(min, from, to), Arrays.copyOfRange(max, from, to),
        sketch == null ? null : Arrays.copyOfRange(sketch, from * bins, to * bins),
        topK == null ? null : Arrays.copyOfRange(topK, from, to),
        rowMagnitudes == null ? null : List.of(rowMagnitudes.get(g)));
  }

  /** Rows of the same stream, other groups: like merge, but row numbers are shared, not shifted. */
  private UnitStats poolWith(UnitStats other) {
    UnitStats merged = merge(other);
    List<RowMagnitudes> pooledRows = null;
    if (rowMagnitudes != null) {
      pooledRows = List.of(rowMagnitudes.get(0).merge(other.rowMagnitudes.get(0), 0));
    }
    return new UnitStats(site, groups, units, options, rows, merged.count, merged.mean, merged.m2, merged.active,
        merged.sumAbs, merged.min, merged.max, merged.sketch, merged.topK, pooledRows);
  }

  @Override
  public String toString() {
    return "UnitStats[" + site + ", " + units + " units, groups " + groups + ", counts " + Arrays.toString(count)
        + "]";
  }
}
