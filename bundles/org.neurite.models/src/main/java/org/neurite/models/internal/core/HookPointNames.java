package org.neurite.models.internal.core;

import java.util.List;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.ModelSpec;
import org.neurite.support.text.ClosestNames;

/** Suggestions for a hook name that matches nothing. */
final class HookPointNames {
  private HookPointNames() {}

  static String suggestion(String pattern, ModelSpec spec) {
    List<String> names = spec.hookPoints().stream().map(HookPoint::name).toList();
    List<String> closest = ClosestNames.to(pattern.replace("*", "0"), names, 3);
    return closest.isEmpty() ? "" : "; did you mean " + String.join(", ", closest) + "?";
  }
}
