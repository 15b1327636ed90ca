/**
 * Chat templates of instruct models: find the Jinja template a Hugging Face model folder carries
 * ({@code chat_template.jinja}, or {@code chat_template} in {@code tokenizer_config.json}) and render
 * a conversation into the prompt text the model was trained on, as transformers'
 * {@code apply_chat_template(..., tokenize=False)} does.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.neurite.chat;
