package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class H2BindingTest {
  @Test
  void theDatabaseServerBindsToLoopbackUnlessTheJvmWasToldOtherwise() {
    String before = System.getProperty(H2Binding.PROPERTY);
    try {
      System.clearProperty(H2Binding.PROPERTY);
      H2Binding.defaultsUnlessSet();
      assertEquals("127.0.0.1", System.getProperty(H2Binding.PROPERTY));
      System.setProperty(H2Binding.PROPERTY, "::1");
      H2Binding.defaultsUnlessSet();
      assertEquals("::1", System.getProperty(H2Binding.PROPERTY), "an explicit choice is kept");
    } finally {
      if (before == null) {
        System.clearProperty(H2Binding.PROPERTY);
      } else {
        System.setProperty(H2Binding.PROPERTY, before);
      }
    }
  }

  @Test
  void aRefusedConnectionIsTriedFourTimesUnlessTheJvmWasToldOtherwise() {
    String before = System.getProperty(H2Binding.CONNECT_RETRY);
    try {
      System.clearProperty(H2Binding.CONNECT_RETRY);
      H2Binding.defaultsUnlessSet();
      assertEquals("4", System.getProperty(H2Binding.CONNECT_RETRY));
      System.setProperty(H2Binding.CONNECT_RETRY, "16");
      H2Binding.defaultsUnlessSet();
      assertEquals("16", System.getProperty(H2Binding.CONNECT_RETRY), "an explicit choice is kept");
    } finally {
      if (before == null) {
        System.clearProperty(H2Binding.CONNECT_RETRY);
      } else {
        System.setProperty(H2Binding.CONNECT_RETRY, before);
      }
    }
  }
}
