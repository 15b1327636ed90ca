package org.neurite.provenance.h2.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.neurite.api.provenance.RunStatus;

/** What the provenance store's writes share: checked artifact paths, generated ids, single values. */
final class Writes {
  private Writes() {}

  /**
   * Checks an artifact path: relative to runs/, {@code /}-separated, no {@code .} or {@code ..}
   * segments. A path that breaks this is the engine's bug, not the user's.
   */
  static String relativePath(String path) {
    if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
      throw new IllegalArgumentException("artifact path '" + path
          + "' must be relative to the runs/ folder and use / as separator");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("artifact path '" + path
            + "' has an empty, . or .. segment; give it relative to runs/, normalized");
      }
    }
    return path;
  }

  static void requireStepRecord(int inserted, long stepRecordId) {
    if (inserted == 0) {
      throw new IllegalArgumentException("there is no step record " + stepRecordId);
    }
  }

  static long generatedId(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new IllegalStateException("the database returned no generated id");
      }
      return keys.getLong(1);
    }
  }

  static Optional<RunStatus> runStatus(Connection c, long runId) throws SQLException {
    return single(c, "SELECT status FROM run_view WHERE id = ?", runId).map(RunStatus::valueOf);
  }

  static Optional<String> single(Connection c, String sql, Object... args) throws SQLException {
    List<String> values = Rows.list(c, sql, rs -> rs.getString(1), args);
    return values.stream().findFirst();
  }
}
