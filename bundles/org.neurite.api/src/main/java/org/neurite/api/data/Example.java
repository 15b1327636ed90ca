package org.neurite.api.data;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One example of a dataset: a text, and what methods need besides it.
 *
 * @param line the 1-based line (or record) number in the source file, for messages
 * @param id the example's id, or its line number as text when the file has none
 * @param text the whole text a model reads; for a prompt and response, the prompt followed by the
 *     response
 * @param label the label field's value, or null when the dataset has none
 * @param group the group field's value (a language, a culture, a relation...), or null
 * @param labels every label field the dataset step was asked to keep (e.g. {@code lang},
 *     {@code culture}, {@code split}), by field name
 * @param completion the prompt and response, when the text is one, so scores and losses can use
 *     the response tokens only; null otherwise
 * @param choices a multiple-choice question's options and answer; null otherwise
 * @param contrast a corrupted prompt and the answers of both, for patching; null otherwise
 * @param ids pre-tokenised ids, or null to tokenise {@code text}
 */
public record Example(long line, String id, String text, String label, String group, Map<String, String> labels,
    Completion completion, Choices choices, Contrast contrast, long[] ids) {

  public Example {
    Objects.requireNonNull(id, "id");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ids = ids == null ? null : ids.clone();
  }

  /** A plain example: a text with an optional label and group. */
  public Example(long line, String id, String text, String label, String group) {
    this(line, id, text, label, group, Map.of(), null, null, null, null);
  }

  /** Pre-tokenised ids, if the dataset gave them. */
  public Optional<long[]> tokenIds() {
    return Optional.ofNullable(ids).map(long[]::clone);
  }

  @Override
  public long[] ids() {
    return ids == null ? null : ids.clone();
  }

  /** A label field's value, if the dataset step kept it. */
  public Optional<String> labelOf(String field) {
    return Optional.ofNullable(labels.get(field));
  }

  /**
   * A text that is a prompt and its response.
   *
   * @param prompt the part the model is given
   * @param response the part it should produce; {@code text} = prompt + response
   */
  public record Completion(String prompt, String response) {
    public Completion {
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(response, "response");
    }
  }

  /**
   * A multiple-choice question: {@code text} is the question.
   *
   * @param options the choices, in order (choice 0 is "A")
   * @param answer the index of the right choice
   */
  public record Choices(List<String> options, int answer) {
    public Choices {
      options = List.copyOf(options);
      if (answer < 0 || answer >= options.size()) {
        throw new IllegalArgumentException("answer " + answer + " is not an index of " + options.size() + " choices");
      }
    }

    /** The answer's letter: A for choice 0. */
    public String answerLetter() {
      return String.valueOf((char) ('A' + answer));
    }
  }

  /**
   * What a prompt should continue with (the answer a knowledge-neuron or CULNIG target scores) and,
   * for activation patching, its corrupted counterpart: {@code text} is the clean prompt.
   *
   * @param corrupted the corrupted prompt, or null when the example has only an answer
   * @param answer the continuation the clean prompt should get, or null
   * @param corruptedAnswer the continuation the corrupted prompt gets, or null
   */
  public record Contrast(String corrupted, String answer, String corruptedAnswer) {
    public Contrast {
      if (corrupted == null && answer == null) {
        throw new NullPointerException("a contrast needs a corrupted prompt or an answer");
      }
      if (corrupted == null && corruptedAnswer != null) {
        throw new IllegalArgumentException("a corrupted answer needs a corrupted prompt");
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Example e && e.line == line && e.id.equals(id) && Objects.equals(e.text, text)
        && Objects.equals(e.label, label) && Objects.equals(e.group, group) && e.labels.equals(labels)
        && Objects.equals(e.completion, completion) && Objects.equals(e.choices, choices)
        && Objects.equals(e.contrast, contrast) && Arrays.equals(e.ids, ids);
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, id, text, label, group, labels, completion, choices, contrast) * 31 + Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return "Example[line " + line + ", id " + id + ", text " + text + (group == null ? "" : ", group " + group)
        + (labels.isEmpty() ? "" : ", labels " + labels) + (completion == null ? "" : ", " + completion)
        + (choices == null ? "" : ", " + choices) + (contrast == null ? "" : ", " + contrast)
        + (ids == null ? "" : ", ids " + Arrays.toString(ids)) + "]";
  }
}
