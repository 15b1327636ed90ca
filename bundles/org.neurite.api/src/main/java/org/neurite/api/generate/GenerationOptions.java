package org.neurite.api.generate;

import java.util.List;
import org.neurite.api.NeuriteException;

/**
 * How to decode: greedy when {@code temperature} is 0, else sampling from the softmax of the logits
 * divided by the temperature, restricted to the {@code topK} most likely tokens (0: all) and then to
 * the smallest set whose probability reaches {@code topP} (1: all), as Hugging Face's
 * {@code generate} filters them (top-k before top-p).
 *
 * @param maxNewTokens the token budget per sequence (finish reason {@code length})
 * @param temperature 0 for greedy decoding, else above 0
 * @param topK keep the k most likely tokens; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]
 * @param seed the seed of the first prompt; prompt {@code i} is sampled with {@code seed + i}, so one
 *     example draws the same tokens whichever batch it is in
 * @param eosIds the tokens that end a sequence (finish reason {@code eos}); empty: the model's
 *     {@code eos_token_id} (config.json, generation_config.json)
 * @param ignoreEos true to run every sequence to its token budget, EOS or not (as vLLM's
 *     {@code ignore_eos}): for benchmarks and for checks over a fixed number of tokens
 * @param stopStrings texts that end a sequence once its decoded output contains one (finish reason
 *     {@code stop}); they need the model's tokenizer
 */
public record GenerationOptions(int maxNewTokens, double temperature, int topK, double topP, long seed,
    List<Long> eosIds, boolean ignoreEos, List<String> stopStrings) {

  /**
   * @throws NeuriteException naming the option and the values it takes
   */
  public GenerationOptions {
    if (maxNewTokens < 1) {
      throw new NeuriteException("max new tokens is " + maxNewTokens + "; give at least 1.");
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new NeuriteException("temperature is " + temperature + "; give 0 for greedy decoding or a positive number"
          + " to sample.");
    }
    if (topK < 0) {
      throw new NeuriteException("top-k is " + topK + "; give 0 to keep every token or a positive number.");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new NeuriteException("top-p is " + topP + "; give a probability above 0 and at most 1 (1 keeps every"
          + " token).");
    }
    eosIds = List.copyOf(eosIds);
    stopStrings = List.copyOf(stopStrings);
    for (String stop : stopStrings) {
      if (stop.isEmpty()) {
        throw new NeuriteException("A stop string is empty; every stop string needs at least one character.");
      }
    }
  }

  /** Greedy decoding of up to {@code maxNewTokens} tokens, ending at the model's EOS. */
  public static GenerationOptions greedy(int maxNewTokens) {
    return new GenerationOptions(maxNewTokens, 0, 0, 1, 0, List.of(), false, List.of());
  }

  /** Whether tokens are chosen by argmax (temperature 0). */
  public boolean isGreedy() {
    return temperature == 0;
  }

  public GenerationOptions withMaxNewTokens(int value) {
    return new GenerationOptions(value, temperature, topK, topP, seed, eosIds, ignoreEos, stopStrings);
  }

  public GenerationOptions withTemperature(double value) {
    return new GenerationOptions(maxNewTokens, value, topK, topP, seed, eosIds, ignoreEos, stopStrings);
  }

  public GenerationOptions withTopK(int value) {
    return new GenerationOptions(maxNewTokens, temperature, value, topP, seed, eosIds, ignoreEos, stopStrings);
  }

  public GenerationOptions withTopP(double value) {
    return new GenerationOptions(maxNewTokens, temperature, topK, value, seed, eosIds, ignoreEos, stopStrings);
  }

  public GenerationOptions withSeed(long value) {
    return new GenerationOptions(maxNewTokens, temperature, topK, topP, value, eosIds, ignoreEos, stopStrings);
  }

  public GenerationOptions withEosIds(List<Long> value) {
    return new GenerationOptions(maxNewTokens, temperature, topK, topP, seed, value, ignoreEos, stopStrings);
  }

  public GenerationOptions withIgnoreEos(boolean value) {
    return new GenerationOptions(maxNewTokens, temperature, topK, topP, seed, eosIds, value, stopStrings);
  }

  public GenerationOptions withStopStrings(List<String> value) {
    return new GenerationOptions(maxNewTokens, temperature, topK, topP, seed, eosIds, ignoreEos, value);
  }
}
