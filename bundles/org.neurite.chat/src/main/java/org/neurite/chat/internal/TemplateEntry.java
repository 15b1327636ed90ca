package org.neurite.chat.internal;

import java.nio.file.Path;

/**
 * One template of a model folder: its name, the file it came from and its text.
 *
 * @param inConfig whether the text is a value inside tokenizer_config.json (or chat_template.json)
 *     rather than a file of its own; errors then name the entry too
 */
record TemplateEntry(String name, Path source, String text, boolean inConfig) {}
