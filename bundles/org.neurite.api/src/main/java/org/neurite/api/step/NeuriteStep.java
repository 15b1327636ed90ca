package org.neurite.api.step;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a {@link Step} component in the service registry, as service property
 * {@code neurite.step.name}:
 *
 * <pre>{@code
 * @Component
 * @NeuriteStep(name = "dataset.jsonl")
 * public final class JsonlDataset implements Step { ... }
 * }</pre>
 *
 * The name must equal {@code spec().name()}; the engine refuses a step whose two names differ.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NeuriteStep {
  /** Prefix of every step service property. */
  String PREFIX_ = "neurite.step.";

  /** The step's name as workflows use it, lower case with dots: {@code neurons.lape}. */
  String name();
}
