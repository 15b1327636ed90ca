package org.neurite.methods.inspect.internal;

import java.nio.file.Path;
import org.neurite.analysis.conformance.PlantedTestbed;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.TensorStore;
import org.neurite.models.internal.gpt2.Gpt2Family;
import org.neurite.models.internal.llama.LlamaFamily;
import org.neurite.models.internal.repository.ModelRepositoryComponent;
import org.neurite.support.files.WorkspaceFolders;

/** Model folders loaded through the real repository with the Llama and GPT-2 families, on the real engine. */
final class Models implements AutoCloseable {
  final ModelRepositoryComponent repository;

  Models(Path workspace) {
    repository = new ModelRepositoryComponent(PlantedTestbed.BACKEND, WorkspaceFolders.of(workspace));
    repository.addFamily(new LlamaFamily());
    repository.addFamily(new Gpt2Family());
  }

  LanguageModel load(Path folder, String dtype) {
    return repository.load(folder.toAbsolutePath().toString(), new LoadOptions("cpu", dtype));
  }

  TensorStore store(LanguageModel model) {
    return repository.open(model.source().toString()).tensors();
  }

  @Override
  public void close() {
    repository.close();
  }
}
