package org.neurite.api.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.neurite.api.step.ArtifactWriter;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The workspace a Neurite process works in: its folders, the one rule by which a relative path is
 * found, the remembered content hashes of its files, and whole-or-nothing writes. One service per
 * process; every component asks it rather than reading framework properties.
 *
 * <p><b>The rule for relative paths</b> (docs/architecture.md): a path a user or a workflow names
 * is looked up first in the current directory, then in the workspace, then in the extra folders a
 * caller names (the model repository adds {@code models/}); the first that exists wins. When none
 * exists, the error lists every place tried. A relative path to be written (an output file a user
 * asks for) is relative to the current directory. Absolute paths are taken as given.
 */
@ProviderType
public interface Workspace {

  /** The workspace folder, absolute and normalised. */
  Path root();

  /** {@code runs/}: one folder per run, then one per step, holding the artifacts. */
  Path runs();

  /** {@code models/}: model folders (the shipped MiniLM is imported here on first use). */
  Path models();

  /** {@code cache/}: what can be rebuilt (remembered file hashes, the framework cache). */
  Path cache();

  /** {@code db/}: the embedded provenance database. */
  Path db();

  /** The places a relative {@code path} is looked up, in order (see the class comment). */
  List<Path> candidates(String path, Path... extraFolders);

  /** The first of {@link #candidates} that exists, if any. */
  Optional<Path> find(String path, Path... extraFolders);

  /**
   * The file or folder a path names, by the rule above.
   *
   * @param what what it is, for the message: {@code dataset}, {@code workflow file}
   * @throws org.neurite.api.NeuriteException if it is blank or exists in none of the places tried,
   *     listing them
   */
  Path existing(String path, String what, Path... extraFolders);

  /**
   * Where a path names a file that may not exist yet: the first existing candidate, or else the
   * first candidate (the current directory for a relative path). For parameters checked later by
   * the step that reads them.
   *
   * @throws org.neurite.api.NeuriteException if the path is blank
   */
  Path locate(String path, String what);

  /** Where a relative output path a user asked for is written: the current directory. */
  Path output(String path);

  /**
   * SHA-256 of a file's content, remembered in {@code cache/file-hashes.tsv} by path, size,
   * modification time and file key, so a large model or dataset is hashed once, not at every run.
   */
  String contentHash(Path file);

  /**
   * Writes a file whole or not at all: {@code writer} fills a temporary file beside
   * {@code target}, which is then renamed onto it; on failure the temporary file is deleted and
   * {@code target} is untouched.
   */
  void writeAtomically(Path target, ArtifactWriter writer) throws Exception;
}
