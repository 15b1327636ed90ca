package org.neurite.api.model;

import java.nio.file.Path;

/**
 * A model the repository knows of.
 *
 * @param name what to pass to {@code load}
 * @param folder its folder (for a shipped model not yet imported: where it will be imported to)
 * @param status {@code loaded}, {@code available} or {@code shipped}
 * @param summary family and sizes when loaded, else what is known from its files
 */
public record ModelEntry(String name, Path folder, String status, String summary) {}
