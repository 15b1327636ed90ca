package org.neurite.analysis.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.analysis.batch.Batches;
import org.neurite.analysis.batch.TokenizedExample;
import org.neurite.api.data.Example;
import org.neurite.api.model.TokenBatch;

/** Group means, CULNIG's per-group sums over the dataset's size, and the clip of control scores. */
class GroupMeansTest {
  private static Batches.Batch batch(String... groups) {
    List<TokenizedExample> examples = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < groups.length; i++) {
      Example x = new Example(i + 1, "x" + i, "t", null, groups[i]);
      examples.add(new TokenizedExample(x, new long[] {1, 2}, 0, groups[i]));
      ids.add(new long[] {1, 2});
    }
    return new Batches.Batch(examples, TokenBatch.of(ids, TokenBatch.Padding.LEFT));
  }

  private static final double[][] SCORES = {{1, -2}, {3, 4}, {5, -6}};

  @Test
  void meansAreOverEachGroupsExamples() {
    GroupMeans means = new GroupMeans(List.of("a", "b"));
    means.add("h", batch("a", "a", "b"), SCORES);
    assertArrayEquals(new float[] {2, 1}, means.scores("s").scores().get("h").get("a"));
    assertArrayEquals(new float[] {5, -6}, means.scores("s").scores().get("h").get("b"));
  }

  @Test
  void overTheDatasetEachGroupsSumIsDividedByEveryExample() {
    GroupMeans means = new GroupMeans(List.of("a", "b"));
    means.add("h", batch("a", "a", "b"), SCORES);
    assertArrayEquals(new float[] {4f / 3, 2f / 3}, means.scoresOverDataset("s").scores().get("h").get("a"), 1e-7f);
    assertArrayEquals(new float[] {5f / 3, -2f}, means.scoresOverDataset("s").scores().get("h").get("b"), 1e-7f);
  }

  @Test
  void clippingSetsNegativeScoresToZeroBeforeTheyAreSummed() {
    GroupMeans means = new GroupMeans(List.of("a", "b"));
    means.add("h", batch("a", "a", "b"), GroupMeans.clippedAtZero(SCORES));
    assertArrayEquals(new float[] {4f / 3, 4f / 3}, means.scoresOverDataset("s").scores().get("h").get("a"), 1e-7f);
    assertArrayEquals(new double[] {1, -2}, SCORES[0], "the input is left as it was");
  }
}
