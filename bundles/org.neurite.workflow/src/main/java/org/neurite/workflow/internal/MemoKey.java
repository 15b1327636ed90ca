package org.neurite.workflow.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.neurite.support.files.ContentHash;

/**
 * The identity of a step's work: the step's name, its provider's version, its parameters in
 * canonical JSON (keys sorted) and the hashes of its inputs. Equal keys mean equal outputs.
 */
final class MemoKey {
  private MemoKey() {}

  static String canonicalParams(Map<String, JsonElement> params) {
    JsonObject sorted = new JsonObject();
    new TreeMap<>(params).forEach(sorted::add);
    return sorted.toString();
  }

  static String of(RegisteredStep step, String canonicalParams, Map<String, String> inputHashes, Iterable<String> earlierKeys) {
    StringBuilder text = new StringBuilder()
        .append(step.spec().name()).append('\n')
        .append(step.providerVersion()).append('\n')
        .append(canonicalParams).append('\n');
    new TreeMap<>(inputHashes).forEach((name, hash) -> text.append(name).append('=').append(hash).append('\n'));
    for (String key : earlierKeys) {
      text.append("after ").append(key).append('\n');
    }
    return ContentHash.sha256(text.toString());
  }
}
