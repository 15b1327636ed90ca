package org.neurite.api.data;

/**
 * One example of a dataset.
 *
 * @param line the 1-based line (or record) number in the source file, for messages
 * @param id the example's id, or its line number as text when the file has none
 * @param text the text
 * @param label the label field's value, or null when the dataset has none
 * @param group the group field's value (a language, a culture, a relation...), or null
 */
public record Example(long line, String id, String text, String label, String group) {}
