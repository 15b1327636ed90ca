package org.neurite.support.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.neurite.api.NeuriteException;
import org.neurite.api.step.ArtifactWriter;
import org.neurite.api.workspace.Workspace;

/**
 * A {@link Workspace} on a folder: the platform's service wraps one, and tests and tools outside
 * OSGi make their own. Not final only so that the service component can extend it.
 */
public class WorkspaceFolders implements Workspace {
  private final Path root;
  private final Path currentDirectory;
  private final FileHashes hashes;

  /**
   * @param root the workspace folder
   * @param currentDirectory where relative paths a user types are looked up first
   */
  public WorkspaceFolders(Path root, Path currentDirectory) {
    this.root = root.toAbsolutePath().normalize();
    this.currentDirectory = currentDirectory.toAbsolutePath().normalize();
    this.hashes = FileHashes.forWorkspace(this.root);
  }

  /** A workspace whose current directory is the process's. */
  public static WorkspaceFolders of(Path root) {
    return new WorkspaceFolders(root, Path.of(System.getProperty("user.dir", ".")));
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Path runs() {
    return root.resolve("runs");
  }

  @Override
  public Path models() {
    return root.resolve("models");
  }

  @Override
  public Path cache() {
    return root.resolve("cache");
  }

  @Override
  public Path db() {
    return root.resolve("db");
  }

  @Override
  public List<Path> candidates(String path, Path... extraFolders) {
    Path given = Path.of(path);
    if (given.isAbsolute()) {
      return List.of(given.normalize());
    }
    List<Path> places = new ArrayList<>();
    places.add(currentDirectory.resolve(given).normalize());
    places.add(root.resolve(given).normalize());
    for (Path folder : extraFolders) {
      places.add(folder.resolve(given).normalize());
    }
    return places.stream().distinct().toList();
  }

  @Override
  public Optional<Path> find(String path, Path... extraFolders) {
    requireText(path, "path");
    return candidates(path, extraFolders).stream().filter(Files::exists).findFirst();
  }

  @Override
  public Path existing(String path, String what, Path... extraFolders) {
    requireText(path, what);
    return find(path, extraFolders).orElseThrow(() -> new NeuriteException("There is no " + what + " '" + path
        + "': looked for " + candidates(path, extraFolders).stream().map(Path::toString)
        .collect(Collectors.joining(", ")) + ". Give an absolute path, or one relative to the current directory"
        + " or to the workspace " + root + "."));
  }

  @Override
  public Path locate(String path, String what) {
    requireText(path, what);
    return find(path).orElse(candidates(path).get(0));
  }

  @Override
  public Path output(String path) {
    requireText(path, "output path");
    return currentDirectory.resolve(path).normalize();
  }

  @Override
  public String contentHash(Path file) {
    return hashes.of(file);
  }

  @Override
  public void writeAtomically(Path target, ArtifactWriter writer) throws Exception {
    AtomicFiles.write(target, writer);
  }

  private static void requireText(String path, String what) {
    if (path == null || path.isBlank()) {
      throw new NeuriteException("The " + what + " is empty; name a file or folder (absolute, or relative to the"
          + " current directory or the workspace).");
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
