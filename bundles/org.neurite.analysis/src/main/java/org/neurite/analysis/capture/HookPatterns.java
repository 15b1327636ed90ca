package org.neurite.analysis.capture;

import java.util.ArrayList;
import java.util.List;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.HookPoint;
import org.neurite.api.model.LanguageModel;

/** Hook-point patterns as steps take them ({@code blocks.*.mlp.hook_post}: a * stands for one name segment). */
public final class HookPatterns {
  private HookPatterns() {}

  /**
   * The hook points of a model the patterns name, in the patterns' order and then the model's,
   * each once.
   *
   * @param where the step, for the message
   * @throws NeuriteException if a pattern matches no hook point of the model
   */
  public static List<String> expand(LanguageModel model, List<String> patterns, String where) {
    List<String> hooks = new ArrayList<>();
    for (String pattern : patterns) {
      List<String> matched = model.spec().hookPoints().stream().map(HookPoint::name)
          .filter(name -> Hooks.matches(pattern, name)).toList();
      if (matched.isEmpty()) {
        throw new NeuriteException(where + ": hook '" + pattern + "' matches no hook point of model " + model.name()
            + "; `models --hooks " + model.name() + "` lists them.");
      }
      matched.stream().filter(h -> !hooks.contains(h)).forEach(hooks::add);
    }
    return hooks;
  }
}
