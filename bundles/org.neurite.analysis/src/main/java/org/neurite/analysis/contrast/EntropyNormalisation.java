package org.neurite.analysis.contrast;

/** Which form of A5's score {@link GroupEntropy#languageNeuronScore} computes. */
public enum EntropyNormalisation {
  /** The paper's Eq. 5: {@code H(p') − λ·max_k p^k}. */
  PAPER,
  /**
   * The authors' code ({@code identify.ActivationAnalyzer.run}): {@code H(p')/log(l) −
   * λ·max_k p^k / (H_l/l)}, with {@code H_l = Σ_{m=1..l} 1/m} the l-th harmonic number.
   */
  AUTHORS_CODE
}
