package org.neurite.models.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelEntry;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.models.reference.TinyCheckpoints;

/** Finding models by name or folder, keeping them loaded once per options, listing and unloading. */
class RepositoryTest {
  @TempDir Path workspace;

  @Test
  void theStoredTypeComesFromTheConfigOrElseFromTheWeights() {
    Path declared = TinyCheckpoints.llama(workspace.resolve("models/bf16")).seed(53).dtype("BF16").write();
    Path silent = TinyCheckpoints.edit(TinyCheckpoints.llama(workspace.resolve("f16")).seed(54).dtype("F16").write(),
        workspace.resolve("models/f16-no-dtype")).config(c -> c.remove("torch_dtype")).write();
    ModelRepositoryComponent repository = TestModels.repository(workspace);
    try {
      LanguageModel bf16 = repository.load(declared.toString(), LoadOptions.defaults());
      assertEquals("bfloat16", bf16.spec().storedDtype());
      assertTrue(bf16.spec().summary().endsWith("float32 (stored as bfloat16)"), bf16.spec().summary());
      assertEquals("float16", repository.load("f16-no-dtype", LoadOptions.defaults()).spec().storedDtype());
    } finally {
      repository.close();
    }
  }

  @Test
  void modelsUnderTheWorkspaceLoadByNameOncePerOptions() {
    TinyCheckpoints.gpt2(workspace.resolve("models/tiny-gpt2")).seed(51).write();
    TinyCheckpoints.llama(workspace.resolve("elsewhere/tiny-llama")).seed(52).write();
    ModelRepositoryComponent repository = TestModels.repository(workspace);
    try {
      LanguageModel byName = repository.load("tiny-gpt2", LoadOptions.defaults());
      assertSame(byName, repository.load(workspace.resolve("models/tiny-gpt2").toString(), LoadOptions.defaults()));
      assertNotSame(byName, repository.load("tiny-gpt2", new LoadOptions("cpu", "float64")));
      repository.load("elsewhere/tiny-llama", LoadOptions.defaults());
      NeuriteException closing = assertThrows(NeuriteException.class, byName::close,
          "a step given the shared model cannot free it under the others");
      assertTrue(closing.getMessage().contains("cannot be closed by one of them; unload it"), closing.getMessage());
      assertSame(byName, repository.load("tiny-gpt2", LoadOptions.defaults()), "still loaded after the refused close");

      List<ModelEntry> entries = repository.models();
      assertEquals(List.of("tiny-gpt2", "tiny-gpt2", "tiny-llama"), entries.stream().map(ModelEntry::name).toList());
      assertTrue(entries.stream().allMatch(e -> e.status().equals("loaded")), entries.toString());
      assertTrue(entries.get(0).summary().startsWith("gpt2 2 layers"), entries.get(0).summary());

      assertTrue(repository.unload("tiny-gpt2"));
      assertFalse(repository.unload("tiny-gpt2"));
      assertEquals("available", repository.models().get(1).status());
      assertEquals(List.of("gpt2", "llama", "bert", "gemma", "phi3", "gpt_neox", "opt"), repository.families());
    } finally {
      repository.close();
    }
  }
}
