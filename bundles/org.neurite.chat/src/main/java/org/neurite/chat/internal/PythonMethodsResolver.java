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
 * nothing else.
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

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
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
