package org.neurite.provenance.h2.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import org.neurite.api.NeuriteException;

/**
 * The generated passwords of a workspace's embedded database, in
 * {@code <workspace>/db/credentials.properties} (owner-only): the admin's, used only at start-up to
 * create or upgrade the schema and the application user, and the application user's, which the
 * running store connects with.
 */
record Credentials(String adminPassword, String password) {
  static final String FILE = "credentials.properties";
  private static final String ADMIN_KEY = "admin.password";
  private static final String USER_KEY = "password";

  @Override
  public String toString() {
    return "Credentials[...]"; // never the passwords
  }

  /** Reads the file, or creates it with new random passwords when there is none. */
  static Credentials loadOrCreate(Path file, SecureRandom random) {
    if (!Files.exists(file)) {
      create(file, new Credentials(generate(random), generate(random)));
    }
    OwnerOnly.file(file);
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new NeuriteException("Cannot read the database credentials " + file + " (" + e.getMessage()
          + "); restore the file from the backup made with the workspace's db/ folder.", e);
    }
    String admin = props.getProperty(ADMIN_KEY);
    String user = props.getProperty(USER_KEY);
    if (admin == null || admin.isEmpty() || user == null || user.isEmpty()) {
      throw new NeuriteException("The database credentials " + file + " lack " + ADMIN_KEY + " or "
          + USER_KEY + "; restore the file from the backup made with the workspace's db/ folder.");
    }
    return new Credentials(admin, user);
  }

  /**
   * Writes a private temporary file and links it into place, so that a concurrent reader sees the
   * whole file or none, and of two processes creating it at once the first one's file wins.
   */
  private static void create(Path file, Credentials credentials) {
    Path folder = file.getParent();
    try {
      Path temporary = folder.getFileSystem().supportedFileAttributeViews().contains("posix")
          ? Files.createTempFile(folder, ".credentials", ".tmp",
              PosixFilePermissions.asFileAttribute(OwnerOnly.FILE))
          : Files.createTempFile(folder, ".credentials", ".tmp");
      try {
        OwnerOnly.file(temporary);
        Properties props = new Properties();
        props.setProperty(ADMIN_KEY, credentials.adminPassword());
        props.setProperty(USER_KEY, credentials.password());
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
          props.store(out, " Passwords of this workspace's provenance database (docs/security.md).\n"
              + " Readable by its owner only; back it up together with neurite.mv.db.");
        }
        try {
          Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException anotherProcessWasFirst) {
          // theirs is the one the database will use
        } catch (UnsupportedOperationException noHardLinks) {
          if (!Files.exists(file)) {
            Files.move(temporary, file);
          }
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  private static String generate(SecureRandom random) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
