package org.neurite.workflow.internal;

import com.google.gson.JsonElement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neurite.api.step.ParamType;

/**
 * A workflow file as read, before validation against the registered steps.
 *
 * @param source the file it came from (for messages)
 * @param text the file's exact text (recorded in provenance)
 */
record WorkflowDefinition(
    Path source, String text, String name, String description, Map<String, Param> params, List<StepUse> steps) {

  /** A workflow parameter: a typed value with a default that {@code --set} can override. */
  record Param(String name, ParamType type, JsonElement defaultValue, String help) {}

  /** One entry of {@code steps}: which step service it uses and with what. */
  record StepUse(String id, String uses, Map<String, JsonElement> with) {}
}
