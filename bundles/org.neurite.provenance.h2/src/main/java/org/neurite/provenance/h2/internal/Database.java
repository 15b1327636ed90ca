package org.neurite.provenance.h2.internal;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcConnectionPool;
import org.neurite.api.NeuriteException;

/**
 * A pool of connections to one H2 database and short transactions on it. A transaction that
 * loses a lock race (lock timeout, deadlock, concurrent update) was rolled back by H2 and is run
 * again after a short randomized pause, a bounded number of times.
 *
 * <p>A database that could not be opened for a reason the user can fix is {@link #unavailable}:
 * every transaction throws that reason, so the store's service still starts and whoever uses it
 * (the launcher first) reports one clear message instead of a failed component.
 */
final class Database implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Database.class.getName());

  /** H2 error codes after which the transaction was rolled back and can simply run again. */
  private static final int LOCK_TIMEOUT = 50200;
  private static final int DEADLOCK = 40001;
  private static final int CONCURRENT_UPDATE = 90131;

  static final int MAX_ATTEMPTS = 10;
  private static final long FIRST_PAUSE_MS = 10;
  private static final long MAX_PAUSE_MS = 1000;

  /** Work done on one connection inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final String url;
  private final JdbcConnectionPool pool;
  private final NeuriteException unavailable;
  private final AtomicLong retries = new AtomicLong();

  private Database(String url, JdbcConnectionPool pool, NeuriteException unavailable) {
    this.url = url;
    this.pool = pool;
    this.unavailable = unavailable;
  }

  /**
   * Opens a pool and checks that a connection can be made.
   *
   * @throws NeuriteException if the database cannot be reached or refuses the credentials
   */
  Database(String url, String user, String password, int maxConnections, String configHint) {
    this(url, probedPool(url, user, password, maxConnections, configHint), null);
  }

  /**
   * Opens a pool and checks that a connection can be made.
   *
   * @throws SQLException H2's reason when the database cannot be opened
   */
  static Database connect(String url, String user, String password, int maxConnections)
      throws SQLException {
    return new Database(url, pool(url, user, password, maxConnections), null);
  }

  /** A database that could not be opened: every transaction throws {@code reason}. */
  static Database unavailable(String url, NeuriteException reason) {
    return new Database(url, null, reason);
  }

  /** False for an {@link #unavailable} database. */
  boolean available() {
    return unavailable == null;
  }

  private static JdbcConnectionPool probedPool(String url, String user, String password,
      int maxConnections, String configHint) {
    try {
      return pool(url, user, password, maxConnections);
    } catch (SQLException e) {
      throw new NeuriteException("Cannot open the provenance database " + url + " as user '" + user
          + "': " + e.getMessage() + ". " + configHint, e);
    }
  }

  private static JdbcConnectionPool pool(String url, String user, String password, int maxConnections)
      throws SQLException {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, user, password);
    pool.setMaxConnections(maxConnections);
    try (Connection probe = pool.getConnection()) {
      if (!probe.isValid(5)) {
        throw new SQLException("the new connection did not answer within 5 s");
      }
      return pool;
    } catch (SQLException | RuntimeException e) {
      pool.dispose();
      throw e;
    }
  }

  /** The JDBC URL, for messages (it never holds the password). */
  String url() {
    return url;
  }

  /** Runs {@code work} in a transaction, committing on success, retrying lost lock races. */
  <T> T transaction(String what, Work<T> work) {
    if (unavailable != null) {
      throw new NeuriteException(unavailable.getMessage(), unavailable);
    }
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = pool.getConnection()) {
        connection.setAutoCommit(false);
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          throw e;
        }
      } catch (SQLException e) {
        if (!retryable(e) || attempt == MAX_ATTEMPTS) {
          throw new IllegalStateException("Provenance database " + url + ": " + what + " failed"
              + (attempt > 1 ? " after " + attempt + " attempts" : ""), e);
        }
        retries.incrementAndGet();
        pause(what, attempt, e);
      }
    }
  }

  /** How many transactions ran again after losing a lock race, since this pool opened. */
  long retries() {
    return retries.get();
  }

  private static boolean retryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        int code = s.getErrorCode();
        if (code == LOCK_TIMEOUT || code == DEADLOCK || code == CONCURRENT_UPDATE) {
          return true;
        }
      }
    }
    return false;
  }

  private static void pause(String what, int attempt, SQLException e) {
    long ceiling = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(attempt, 10));
    long millis = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    LOG.log(Level.DEBUG, () -> what + ": attempt " + attempt + " lost a lock race (" + e.getMessage()
        + "); trying again in " + millis + " ms");
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " was interrupted while waiting to retry", e);
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.dispose();
    }
  }
}
