package org.neurite.api.provenance;

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
}
