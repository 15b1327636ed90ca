package org.neurite.analysis.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.analysis.batch.Tokenization;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.data.Example;
import org.neurite.api.hook.Hooks;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.TextTokenizer;
import org.neurite.api.model.TokenBatch;

/**
 * Multiple-choice answers of a causal model (METHODS.md P10), two ways:
 * <ul>
 *   <li><b>likelihood</b>: each option is read as a continuation of the question (question +
 *       separator + option); the chosen option is the one of highest log-likelihood, summed over its
 *       tokens or, length-normalised, averaged (lm-evaluation-harness's acc and acc_norm);
 *   <li><b>letter</b>: the question is shown with its options as {@code A. ...} lines and
 *       {@code Answer:}; the chosen option is the letter whose token the model gives the highest
 *       logit at the last position (as CULNIG scores it).
 * </ul>
 * The same evaluator runs on base, intervened and control models.
 */
public final class MultipleChoice {
  private final TensorBackend backend;
  private final String device;
  private final int maxTokens;

  public MultipleChoice(TensorBackend backend, String device, int maxTokens) {
    this.backend = backend;
    this.device = device;
    this.maxTokens = maxTokens;
  }

  /** The chosen option of each question of the batch, by the options' log-likelihood. */
  public int[] byLikelihood(LanguageModel model, Batches.Batch questions, String separator, boolean lengthNormalised) {
    List<TokenizedExample> options = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    Tokenization tokenization = new Tokenization(model, maxTokens);
    for (int q = 0; q < questions.examples().size(); q++) {
      Example x = choices(questions.examples().get(q).example());
      for (int k = 0; k < x.choices().options().size(); k++) {
        String continuation = separator + x.choices().options().get(k);
        Example option = new Example(x.line(), x.id() + "#" + k, x.text() + continuation, x.label(), x.group(),
            x.labels(), new Example.Completion(x.text(), continuation), null, null, null);
        options.add(tokenization.tokenize(option, "group"));
        owner.add(q);
      }
    }
    TokenBatch tokens = TokenBatch.of(options.stream().map(TokenizedExample::ids).toList(), TokenBatch.Padding.LEFT);
    LossEvaluator.Sequences s = new LossEvaluator(backend, device, true).perSequence(model,
        new Batches.Batch(options, tokens));
    int[] chosen = new int[questions.examples().size()];
    double[] best = new double[chosen.length];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    int[] index = new int[chosen.length];
    for (int i = 0; i < options.size(); i++) {
      int q = owner.get(i);
      if (s.tokens()[i] == 0) {
        throw new NeuriteException("Option " + index[q] + " of question " + questions.examples().get(q).example().id()
            + " has no tokens of its own after the question; give it text.");
      }
      double logLikelihood = -s.nll()[i] / (lengthNormalised ? s.tokens()[i] : 1);
      if (logLikelihood > best[q]) {
        best[q] = logLikelihood;
        chosen[q] = index[q];
      }
      index[q]++;
    }
    return chosen;
  }

  /**
   * The chosen option of each question, by the logit of its letter's token after the question and
   * its options are shown.
   *
   * @param letters the label of option k; its token is the last of {@code " " + letter} without special tokens
   */
  public int[] byLetter(LanguageModel model, Batches.Batch questions, List<String> letters) {
    TextTokenizer tokenizer = model.tokenizer().orElseThrow(() -> new NeuriteException("Model " + model.name()
        + " has no tokenizer, which the letter scoring needs to show the options."));
    long[] letterIds = new long[letters.size()];
    for (int k = 0; k < letterIds.length; k++) {
      long[] ids = tokenizer.encode(" " + letters.get(k), false);
      if (ids.length == 0) {
        throw new NeuriteException("The letter '" + letters.get(k) + "' has no token in model " + model.name() + ".");
      }
      letterIds[k] = ids[ids.length - 1];
    }
    Tokenization tokenization = new Tokenization(model, maxTokens);
    List<TokenizedExample> prompts = new ArrayList<>();
    for (TokenizedExample q : questions.examples()) {
      Example x = choices(q.example());
      if (x.choices().options().size() > letters.size()) {
        throw new NeuriteException("Question " + x.id() + " (line " + x.line() + ") has " + x.choices().options().size()
            + " options but only " + letters.size() + " letters are given; give as many letters as options.");
      }
      Example prompt = new Example(x.line(), x.id(), prompt(x, letters), x.label(), x.group(), x.labels(), null, null,
          null, null);
      prompts.add(tokenization.tokenize(prompt, "group"));
    }
    TokenBatch tokens = TokenBatch.of(prompts.stream().map(TokenizedExample::ids).toList(), TokenBatch.Padding.LEFT);
    int[] chosen = new int[prompts.size()];
    try (NDManager scope = backend.newScope(device)) {
      NDArray logits = model.forward(tokens, Hooks.none(), scope).logits().toType(DataType.FLOAT64, false);
      for (int i = 0; i < chosen.length; i++) {
        int last = tokens.firstReal(i) + tokens.length(i) - 1;
        double[] row = logits.get(i).get(last).toDoubleArray();
        int n = questions.examples().get(i).example().choices().options().size();
        for (int k = 1; k < n; k++) {
          if (row[(int) letterIds[k]] > row[(int) letterIds[chosen[i]]]) {
            chosen[i] = k;
          }
        }
      }
    }
    return chosen;
  }

  /** {@code question \n A. option \n B. option ... \n Answer:}. */
  public static String prompt(Example question, List<String> letters) {
    StringBuilder text = new StringBuilder(question.text());
    List<String> options = question.choices().options();
    for (int k = 0; k < options.size(); k++) {
      text.append('\n').append(letters.get(k)).append(". ").append(options.get(k));
    }
    return text.append("\nAnswer:").toString();
  }

  private static Example choices(Example x) {
    if (x.choices() == null) {
      throw new NeuriteException("Example " + x.id() + " (line " + x.line() + ") is not a multiple-choice question;"
          + " name the dataset's choices and answer fields (the dataset step's choices and answer parameters).");
    }
    return x;
  }
}
