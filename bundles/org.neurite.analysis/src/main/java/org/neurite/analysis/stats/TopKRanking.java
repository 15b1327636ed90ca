package org.neurite.analysis.stats;

/** What the top-k index frequency ranks each row's units by. */
public enum TopKRanking {
  /** The signed value, largest first (CoreInfer's per-token sort). */
  VALUE,
  /** The magnitude {@code |x|}, largest first (NAG's impact {@code |up_proj(x)|}). */
  MAGNITUDE
}
