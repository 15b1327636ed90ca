package org.neurite.analysis.contrast;

import java.util.ArrayList;
import java.util.List;

/**
 * A fitted logistic probe {@code P(y = 1 | x) = σ(w·x̃ + b)}, {@code x̃ = (x − mean)/scale} (mean 0
 * and scale 1 when features were not standardised).
 *
 * @param weights {@code w}, one per unit, {@code [U]}
 * @param bias {@code b}
 * @param featureMean the mean subtracted per unit, {@code [U]}
 * @param featureScale the scale divided by per unit, {@code [U]}
 * @param loss the final objective: mean cross-entropy plus the L2 term
 * @param gradientNorm the largest component of the objective's gradient at the result
 * @param iterations iterations or epochs run
 * @param converged whether L-BFGS reached its tolerance (always false for Adam)
 */
public record ProbeFit(double[] weights, double bias, double[] featureMean, double[] featureScale, double loss,
    double gradientNorm, int iterations, boolean converged) {
  public ProbeFit {
    weights = weights.clone();
    featureMean = featureMean.clone();
    featureScale = featureScale.clone();
  }

  @Override
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double[] featureMean() {
    return featureMean.clone();
  }

  @Override
  public double[] featureScale() {
    return featureScale.clone();
  }

  /** z-scores of the weights across units (population standard deviation, as {@code scipy.stats.zscore}), {@code [U]}. */
  public double[] weightZScores() {
    return ZScores.acrossUnits(weights, 0);
  }

  /** NeuroStrike's selection: the units with {@code |z| > threshold} and {@code w > 0} (threshold 3 in the paper). */
  public int[] selectPositive(double zThreshold) {
    double[] z = weightZScores();
    List<Integer> units = new ArrayList<>();
    for (int u = 0; u < z.length; u++) {
      if (Math.abs(z[u]) > zThreshold && weights[u] > 0) {
        units.add(u);
      }
    }
    return units.stream().mapToInt(Integer::intValue).toArray();
  }
}
