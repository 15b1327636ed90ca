package org.neurite.provenance.h2.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neurite.api.NeuriteException;

/**
 * Checks that a lab's H2 server answers before H2's own client tries, which retries a refused
 * connection for seconds and waits longer still for a host that drops packets.
 */
final class LabServer {
  private static final Pattern SERVER = Pattern.compile(
      "jdbc:h2:(?:tcp|ssl)://(\\[[^\\]]+]|[^:/,;]+)(?::(\\d+))?/.*");
  private static final int DEFAULT_PORT = 9092;
  static final int CONNECT_TIMEOUT_MS = 3000;

  private LabServer() {}

  /** The host and port of a single-server {@code tcp://} or {@code ssl://} URL. */
  record Address(String host, int port) {}

  static Optional<Address> address(String url) {
    Matcher m = SERVER.matcher(url);
    if (!m.matches()) {
      return Optional.empty(); // a cluster URL or a file URL: H2 finds its own way
    }
    String host = m.group(1).replace("[", "").replace("]", "");
    return Optional.of(new Address(host, m.group(2) == null ? DEFAULT_PORT : Integer.parseInt(m.group(2))));
  }

  /** @throws NeuriteException if the server named by {@code url} does not accept a connection */
  static void requireAnswer(String url, String configFile) {
    Optional<Address> address = address(url);
    if (address.isEmpty()) {
      return;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.get().host(), address.get().port()), CONNECT_TIMEOUT_MS);
    } catch (IOException e) {
      throw new NeuriteException("The lab's H2 server " + address.get().host() + ":"
          + address.get().port() + " (url " + url + ") does not answer (" + e.getMessage()
          + "); start it (docs/provenance.md, lab mode) or correct url in " + configFile + ".", e);
    }
  }
}
