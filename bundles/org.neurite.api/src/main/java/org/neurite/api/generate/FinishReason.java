package org.neurite.api.generate;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a sequence stopped: an EOS token, a stop string, the token budget, or a hook that abstained
 * with a reason. Written {@code eos}, {@code stop}, {@code length} or {@code abstained:<reason>}.
 *
 * @param detail the abstention's reason; empty for the other kinds
 */
public record FinishReason(Kind kind, String detail) {
  /** The kinds of ending. */
  public enum Kind { EOS, STOP, LENGTH, ABSTAINED }

  public FinishReason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    if ((kind == Kind.ABSTAINED) == detail.isEmpty()) {
      throw new IllegalArgumentException(kind == Kind.ABSTAINED ? "an abstention needs a reason"
          : "only an abstention has a reason: " + detail);
    }
  }

  public static FinishReason eos() {
    return new FinishReason(Kind.EOS, "");
  }

  public static FinishReason stop() {
    return new FinishReason(Kind.STOP, "");
  }

  public static FinishReason length() {
    return new FinishReason(Kind.LENGTH, "");
  }

  public static FinishReason abstained(String reason) {
    return new FinishReason(Kind.ABSTAINED, reason);
  }

  /** {@code eos}, {@code stop}, {@code length} or {@code abstained:<reason>}. */
  @Override
  public String toString() {
    String name = kind.name().toLowerCase(Locale.ROOT);
    return kind == Kind.ABSTAINED ? name + ":" + detail : name;
  }
}
