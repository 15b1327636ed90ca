package org.neurite.models.internal.repository;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;

/** Models loaded and kept for reuse: one per folder, device and dtype. */
final class LoadedModels {
  record Key(Path folder, String device, String dtype) {
    static Key of(Path folder, LoadOptions options) {
      return new Key(folder, options.device(), options.dtype());
    }
  }

  private final Map<Key, SharedModel> models = new LinkedHashMap<>();

  synchronized Optional<LanguageModel> get(Key key) {
    return Optional.ofNullable(models.get(key));
  }

  synchronized SharedModel put(Key key, LanguageModel model) {
    SharedModel shared = new SharedModel(model);
    models.put(key, shared);
    return shared;
  }

  synchronized List<LanguageModel> all() {
    return new ArrayList<>(models.values());
  }

  /** Closes and forgets every model loaded under this name; false if there was none. */
  synchronized boolean remove(String name) {
    boolean any = false;
    for (var it = models.values().iterator(); it.hasNext(); ) {
      SharedModel model = it.next();
      if (model.name().equals(name)) {
        model.release();
        it.remove();
        any = true;
      }
    }
    return any;
  }

  synchronized void closeAll() {
    models.values().forEach(SharedModel::release);
    models.clear();
  }
}
