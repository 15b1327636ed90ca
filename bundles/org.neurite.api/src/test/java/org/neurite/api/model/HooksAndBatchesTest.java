package org.neurite.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;
import org.neurite.api.hook.Hooks;

class HooksAndBatchesTest {

  @Test
  void starStandsForOneSegment() {
    assertTrue(Hooks.matches("blocks.*.mlp.hook_post", "blocks.11.mlp.hook_post"));
    assertFalse(Hooks.matches("blocks.*.mlp.hook_post", "blocks.1.attn.hook_q"));
    assertFalse(Hooks.matches("blocks.*.hook_post", "blocks.1.mlp.hook_post"), "a star does not cross dots");
    assertTrue(Hooks.matches("hook_embed", "hook_embed"));
    assertFalse(Hooks.matches("blocks.1.mlp.hook_post", "blocks.11.mlp.hook_post"));
    assertFalse(Hooks.matches("blocks.(.*", "blocks.(x"), "the rest of a pattern is literal");
  }

  @Test
  void hooksAreValuesThatKeepTheirOrder() {
    Hooks base = Hooks.none();
    Hooks more = base.record("a").replace("b", (n, v, b) -> v).gradient("c").target(f -> f.hiddenStates());
    assertTrue(base.isEmpty(), "adding to a Hooks returns a new one");
    assertEquals(List.of(Hooks.Kind.RECORD, Hooks.Kind.REPLACE, Hooks.Kind.GRADIENT),
        more.actions().stream().map(Hooks.Action::kind).toList());
    assertTrue(more.wantsGradients());
    assertTrue(more.target().isPresent());
  }

  @Test
  void rightAndLeftPaddingPlaceTokensMaskAndPositions() {
    List<long[]> seqs = List.of(new long[] {5, 6, 7}, new long[] {8});
    TokenBatch right = TokenBatch.of(seqs, TokenBatch.Padding.RIGHT);
    assertArrayEquals(new long[] {5, 6, 7, 8, 0, 0}, right.paddedIds());
    assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0}, right.mask());
    assertArrayEquals(new long[] {0, 1, 2, 0, 0, 0}, right.positions());
    assertEquals(0, right.lastReal(1));

    TokenBatch left = TokenBatch.of(seqs, TokenBatch.Padding.LEFT);
    assertArrayEquals(new long[] {5, 6, 7, 0, 0, 8}, left.paddedIds());
    assertArrayEquals(new long[] {1, 1, 1, 0, 0, 1}, left.mask());
    assertArrayEquals(new long[] {0, 1, 2, 0, 0, 0}, left.positions(), "positions count real tokens only");
    assertEquals(2, left.firstReal(1));
    assertEquals(2, left.lastReal(1));
    assertTrue(left.isReal(1, 2));
    assertFalse(left.isReal(1, 1));
  }

  @Test
  void tokenTypesFollowThePadding() {
    TokenBatch b = TokenBatch.of(List.of(new long[] {1, 2}, new long[] {3}), TokenBatch.Padding.RIGHT)
        .withTokenTypes(List.of(new long[] {0, 1}, new long[] {1}));
    assertArrayEquals(new long[] {0, 1, 1, 0}, b.paddedTokenTypes());
    assertThrows(NeuriteException.class, () -> b.withTokenTypes(List.of(new long[] {0}, new long[] {1})));
  }

  @Test
  void emptyBatchesAndSequencesAreRefused() {
    assertThrows(NeuriteException.class, () -> TokenBatch.of(List.of(), TokenBatch.Padding.RIGHT));
    NeuriteException e = assertThrows(NeuriteException.class, () -> TokenBatch.of(List.of(new long[0]), TokenBatch.Padding.RIGHT));
    assertTrue(e.getMessage().contains("Sequence 0"), e.getMessage());
  }
}
