package org.neurite.support.process;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.neurite.api.provenance.ProcessIdentity;

/** The operating-system process this code runs in, as provenance records it. */
public final class CurrentProcess {
  private CurrentProcess() {}

  /** User, host, pid and start instant of this process. */
  public static ProcessIdentity identity() {
    ProcessHandle self = ProcessHandle.current();
    return new ProcessIdentity(
        System.getProperty("user.name", "unknown"),
        hostName(),
        self.pid(),
        self.info().startInstant().orElse(null));
  }

  /** This machine's host name, as {@link #identity()} records it. */
  public static String hostName() {
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
