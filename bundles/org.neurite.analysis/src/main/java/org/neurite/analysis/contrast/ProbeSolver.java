package org.neurite.analysis.contrast;

/** How {@link LogisticProbe} minimises its loss. */
public enum ProbeSolver {
  /**
   * Limited-memory BFGS from zero weights, to a gradient below the tolerance: the regularised
   * optimum, independent of the seed. The bias is not penalised (as scikit-learn).
   */
  LBFGS,
  /**
   * NeuroStrike's recipe (A4): full-batch Adam (β 0.9/0.999, ε 1e-8) for a fixed number of epochs
   * from weights drawn uniformly in {@code ±1/sqrt(U)} with the seed (the init of PyTorch's
   * {@code nn.Linear}, from Java's {@code SplittableRandom}, so not PyTorch's numbers); the L2
   * weight applies to weights and bias as Adam's {@code weight_decay} does. Stops where the
   * epochs end, converged or not.
   */
  ADAM
}
