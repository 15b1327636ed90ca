package org.neurite.models.internal.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.neurite.api.NeuriteException;
import org.neurite.api.backend.TensorBackend;
import org.neurite.api.family.ModelFamily;
import org.neurite.api.model.LanguageModel;
import org.neurite.api.model.LoadOptions;
import org.neurite.api.model.ModelEntry;
import org.neurite.api.model.ModelRepository;
import org.neurite.api.model.ModelSource;
import org.neurite.api.model.ShippedModels;
import org.neurite.api.workspace.Workspace;
import org.neurite.models.internal.io.ModelFolder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The model repository: resolves a name or folder, picks the family that accepts its config,
 * loads it once per folder, device and dtype, and, for a name that matches no folder, asks the
 * {@link ShippedModels} services to import it into the workspace's {@code models/}. The only
 * component that tracks {@link ModelFamily} and {@link ShippedModels} services.
 */
@Component(service = ModelRepository.class)
public final class ModelRepositoryComponent implements ModelRepository {
  private final TensorBackend backend;
  private final Workspace workspace;
  private final LoadedModels loaded = new LoadedModels();
  private final List<ModelFamily> families = new CopyOnWriteArrayList<>();
  private final List<ShippedModels> shipped = new CopyOnWriteArrayList<>();

  /** Families and shipped models arrive through {@link #addFamily} and {@link #addShipped} (in tests too). */
  @Activate
  public ModelRepositoryComponent(@Reference TensorBackend backend, @Reference Workspace workspace) {
    this.backend = backend;
    this.workspace = workspace;
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  public void addFamily(ModelFamily family) {
    families.add(family);
  }

  public void removeFamily(ModelFamily family) {
    families.remove(family);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  public void addShipped(ShippedModels models) {
    shipped.add(models);
  }

  public void removeShipped(ShippedModels models) {
    shipped.remove(models);
  }

  @Deactivate
  public void close() {
    loaded.closeAll();
  }

  @Override
  public LanguageModel load(String model, LoadOptions options) {
    Path folder = resolve(model);
    LoadedModels.Key key = LoadedModels.Key.of(folder, options);
    synchronized (loaded) {
      Optional<LanguageModel> existing = loaded.get(key);
      if (existing.isPresent()) {
        return existing.get();
      }
      ModelFolder source = ModelFolder.open(folder, workspace);
      try {
        ModelFamily family = familyFor(source);
        return loaded.put(key, family.load(source, options, backend));
      } catch (RuntimeException | Error e) {
        source.close(); // a model that did not load keeps no weight files open
        throw e;
      }
    }
  }

  @Override
  public ModelSource open(String model) {
    return ModelFolder.open(resolve(model), workspace);
  }

  private ModelFamily familyFor(ModelSource source) {
    for (ModelFamily family : families) {
      if (family.accepts(source.config())) {
        return family;
      }
    }
    StringBuilder known = new StringBuilder();
    for (ModelFamily f : families) {
      known.append(known.length() == 0 ? "" : "; ").append(f.name()).append(" reads ").append(f.modelTypes());
    }
    throw new NeuriteException(source.folder().resolve("config.json") + " has model_type '"
        + source.config().modelType() + "', which no installed model family reads (" + known + ").");
  }

  /**
   * A folder by the workspace's rule (current directory, then the workspace, then its models/), or
   * a shipped model imported on first use.
   */
  Path resolve(String model) {
    if (model == null || model.isBlank()) {
      throw new NeuriteException("Name a model: a folder with config.json, or one of `models`.");
    }
    Optional<Path> folder = workspace.candidates(model, workspace.models()).stream().filter(Files::isDirectory)
        .findFirst();
    if (folder.isPresent()) {
      return folder.get();
    }
    for (ShippedModels models : shipped) {
      if (models.has(model)) {
        return models.importInto(model, workspace.models());
      }
    }
    List<Path> tried = workspace.candidates(model, workspace.models());
    throw new NeuriteException("No model '" + model + "': no folder " + tried + " and no shipped model of that name"
        + " (shipped: " + shippedNames() + "). `models` lists what is available.");
  }

  @Override
  public List<ModelEntry> models() {
    List<ModelEntry> entries = new ArrayList<>();
    List<Path> loadedFolders = new ArrayList<>();
    for (LanguageModel model : loaded.all()) {
      entries.add(new ModelEntry(model.name(), model.source(), "loaded", model.spec().summary() + " on " + model.device()));
      loadedFolders.add(model.source());
    }
    List<String> present = new ArrayList<>();
    Path models = workspace.models();
    if (Files.isDirectory(models)) {
      try (Stream<Path> folders = Files.list(models)) {
        for (Path folder : folders.filter(f -> Files.isRegularFile(f.resolve("config.json")))
            .sorted(Comparator.naturalOrder()).toList()) {
          present.add(folder.getFileName().toString());
          if (!loadedFolders.contains(folder.normalize())) {
            entries.add(new ModelEntry(folder.getFileName().toString(), folder, "available", describe(folder)));
          }
        }
      } catch (IOException e) {
        throw new NeuriteException("Cannot list " + models + ": " + e.getMessage(), e);
      }
    }
    for (String name : shippedNames()) {
      if (!present.contains(name)) {
        entries.add(new ModelEntry(name, models.resolve(name), "shipped", "imported into models/ on first use"));
      }
    }
    return entries;
  }

  private List<String> shippedNames() {
    return shipped.stream().flatMap(s -> s.names().stream()).distinct().toList();
  }

  private String describe(Path folder) {
    try {
      ModelSource source = ModelFolder.open(folder, workspace);
      String family = families.stream().filter(f -> f.accepts(source.config())).map(ModelFamily::name).findFirst()
          .orElse("no family reads model_type '" + source.config().modelType() + "'");
      return family + (source.config().architectures().isEmpty() ? "" : " " + source.config().architectures().get(0));
    } catch (NeuriteException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  @Override
  public Optional<LanguageModel> loaded(String name) {
    return loaded.all().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  @Override
  public boolean unload(String name) {
    return loaded.remove(name);
  }

  @Override
  public List<String> families() {
    return families.stream().map(ModelFamily::name).toList();
  }
}
