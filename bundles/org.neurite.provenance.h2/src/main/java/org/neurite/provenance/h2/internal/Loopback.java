package org.neurite.provenance.h2.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import org.h2.util.NetUtils;

/**
 * Whether H2's automatic mixed mode may start its TCP server: the server must listen on loopback
 * only (the system property {@code h2.bindAddress}, which H2 reads once, when it loads), and the
 * loopback interface must answer. Checked with a server socket made the way H2 makes its own.
 */
final class Loopback {
  private static final int CONNECT_TIMEOUT_MS = 1000;

  private Loopback() {}

  /** Why the embedded database cannot be served to other processes, or empty if it can. */
  static Optional<String> problem() {
    try (ServerSocket server = NetUtils.createServerSocket(0, false)) {
      if (!server.getInetAddress().isLoopbackAddress()) {
        return Optional.of("H2 would listen on " + server.getInetAddress().getHostAddress()
            + ", not on loopback only (the JVM must start with -Dh2.bindAddress=127.0.0.1, as "
            + "bin/neurite and the Neurite embedding API do)");
      }
      try (Socket client = new Socket()) {
        client.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()),
            CONNECT_TIMEOUT_MS);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("the loopback interface does not answer (" + e.getMessage() + ")");
    }
  }
}
