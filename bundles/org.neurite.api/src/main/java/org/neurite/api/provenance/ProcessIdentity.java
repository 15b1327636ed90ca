package org.neurite.api.provenance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;

/**
 * The operating-system process that records a run. Host, pid and the process's start instant
 * together tell whether that process is still alive (a pid alone can be reused after a restart).
 *
 * @param user the operating-system user name
 * @param host the host name
 * @param pid the process id
 * @param processStart when the process started, or null where the operating system does not say
 */
public record ProcessIdentity(String user, String host, long pid, Instant processStart) {

  public ProcessIdentity {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
  }

  /** The process this code runs in. */
  public static ProcessIdentity current() {
    ProcessHandle self = ProcessHandle.current();
    return new ProcessIdentity(
        System.getProperty("user.name", "unknown"),
        localHostName(),
        self.pid(),
        self.info().startInstant().orElse(null));
  }

  /** This machine's host name, as {@link #current()} records it. */
  public static String localHostName() {
    String env = System.getenv("HOSTNAME");
    try {
      String name = InetAddress.getLocalHost().getHostName();
      if (name != null && !name.isBlank()) {
        return name;
      }
    } catch (UnknownHostException e) {
      // fall through to the environment
    }
    return env == null || env.isBlank() ? "localhost" : env;
  }
}
