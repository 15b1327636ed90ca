package org.neurite.workflow.internal;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.neurite.api.value.ValueCodec;

/** The registered {@link ValueCodec}s, by type name; which one persists a value is decided by its Java type. */
final class ValueCodecs {
  private final Map<String, ValueCodec<?>> byName = new ConcurrentHashMap<>();

  /** Adds a codec; false if another already has its type name (the first one stays). */
  boolean add(ValueCodec<?> codec) {
    return byName.putIfAbsent(codec.typeName(), codec) == null;
  }

  void remove(ValueCodec<?> codec) {
    byName.values().removeIf(c -> c == codec);
  }

  /**
   * The codec of a recorded type: by its type name, or, for records made before values were
   * persisted by type, by the Java class name they recorded.
   */
  Optional<ValueCodec<?>> named(String recordedType) {
    ValueCodec<?> codec = byName.get(recordedType);
    if (codec != null) {
      return Optional.of(codec);
    }
    return byName.values().stream().filter(c -> c.type().getName().equals(recordedType)).findFirst();
  }

  /** The codec for a value: the one of the most specific type the value is an instance of. */
  Optional<ValueCodec<?>> of(Object value) {
    return byName.values().stream().filter(c -> c.type().isInstance(value))
        .max(Comparator.comparingInt(c -> depth(c.type())));
  }

  private static int depth(Class<?> type) {
    int depth = 0;
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      depth++;
    }
    return depth + type.getInterfaces().length;
  }
}
