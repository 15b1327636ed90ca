package org.neurite.launcher;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * H2 reads its system properties once, when its classes load, so they are set before the framework
 * starts. {@code h2.bindAddress}: its automatic mixed mode (the workspace database shared between
 * Neurite processes) would otherwise listen on every interface. {@code h2.socketConnectRetry}: H2
 * tries a refused connection 16 times with growing pauses (1.2 s in all), which every start after a
 * crash paid while it checked whether the dead process's database server still answered; a live
 * server on loopback answers the first time, so 4 tries (15 ms) are plenty, for a lab server too.
 */
final class H2Binding {
  private static final Logger LOG = System.getLogger(H2Binding.class.getName());
  static final String PROPERTY = "h2.bindAddress";
  static final String CONNECT_RETRY = "h2.socketConnectRetry";

  private H2Binding() {}

  static void defaultsUnlessSet() {
    String retry = System.getProperty(CONNECT_RETRY);
    if (retry == null || retry.isBlank()) {
      System.setProperty(CONNECT_RETRY, "4");
    }
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      System.setProperty(PROPERTY, "127.0.0.1");
      return;
    }
    if (!isLoopback(configured)) {
      LOG.log(Level.WARNING, "-D" + PROPERTY + "=" + configured + " is not a loopback address: the "
          + "provenance store will not serve the workspace database to other processes "
          + "(docs/security.md)");
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
