package org.neurite.models.internal.generate;

import org.neurite.api.NeuriteException;
import org.neurite.api.generate.DecodingStep;
import org.neurite.api.model.TokenBatch;

/** One decoding step as sinks see it: which sequences have finished, and the abstentions asked for. */
final class StepControl implements DecodingStep {
  private final int index;
  private final TokenBatch batch;
  private final boolean[] finished;
  private final String[] abstentions;

  StepControl(int index, TokenBatch batch, boolean[] finished) {
    this.index = index;
    this.batch = batch;
    this.finished = finished.clone();
    this.abstentions = new String[finished.length];
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public TokenBatch batch() {
    return batch;
  }

  @Override
  public boolean finished(int row) {
    return finished[checked(row)];
  }

  @Override
  public synchronized void abstain(int row, String reason) {
    checked(row);
    if (reason == null || reason.isBlank()) {
      throw new NeuriteException("An abstention at decoding step " + index + " gives no reason; give one (it becomes"
          + " the finish reason abstained:<reason>).");
    }
    if (abstentions[row] == null && !finished[row]) {
      abstentions[row] = reason;
    }
  }

  /** The reason sequence {@code row} abstained with in this step, or null. */
  synchronized String abstention(int row) {
    return abstentions[row];
  }

  private int checked(int row) {
    if (row < 0 || row >= finished.length) {
      throw new NeuriteException("Sequence " + row + " does not exist at decoding step " + index + "; the batch has "
          + finished.length + " (rows 0 to " + (finished.length - 1) + ").");
    }
    return row;
  }
}
