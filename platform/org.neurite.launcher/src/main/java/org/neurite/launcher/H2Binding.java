package org.neurite.launcher;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * H2 reads {@code h2.bindAddress} once, when its classes load, and its automatic mixed mode (the
 * workspace database shared between Neurite processes) would otherwise listen on every interface.
 * Set before the framework starts, so before H2 can load.
 */
final class H2Binding {
  private static final Logger LOG = System.getLogger(H2Binding.class.getName());
  static final String PROPERTY = "h2.bindAddress";

  private H2Binding() {}

  static void loopbackUnlessSet() {
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
