package org.neurite.chat.internal;

import com.hubspot.jinjava.objects.SafeString;
import java.beans.FeatureDescriptor;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Answers method calls on strings with Python's str methods ({@link PythonStrings}), before
 * jinjava's bean resolver would look for a Java method of that name ({@code strip()} exists on
 * java.lang.String but trims other characters; {@code startswith} does not exist at all). Resolves
 * nothing else but indexing a string.
 */
final class PythonMethodsResolver extends ELResolver {
  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
    if (!(base instanceof String || base instanceof SafeString) || method == null) {
      return null;
    }
    Optional<Object> result = PythonStrings.call(TemplateValues.plain(base).toString(), method.toString(), params);
    if (result.isEmpty()) {
      return null;
    }
    context.setPropertyResolved(true);
    return result.get();
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return null;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return Collections.emptyIterator();
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  /** {@code text[i]}: the code point at i, counted from the end when negative; undefined when out of range. */
  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    Long index = index(property);
    if (!(base instanceof String || base instanceof SafeString) || index == null) {
      return null;
    }
    context.setPropertyResolved(true);
    int[] codePoints = TemplateValues.plain(base).toString().codePoints().toArray();
    long at = index < 0 ? codePoints.length + index : index;
    return at < 0 || at >= codePoints.length ? null : new String(codePoints, (int) at, 1);
  }

  private static Long index(Object property) {
    if (property instanceof Number number) {
      return number.longValue();
    }
    if (property instanceof String text && text.matches("-?\\d{1,18}")) {
      return Long.parseLong(text);
    }
    return null;
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return true;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {
    // resolves no properties
  }
}
