package org.neurite.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class H2BindingTest {
  @Test
  void theDatabaseServerBindsToLoopbackUnlessTheJvmWasToldOtherwise() {
    String before = System.getProperty(H2Binding.PROPERTY);
    try {
      System.clearProperty(H2Binding.PROPERTY);
      H2Binding.loopbackUnlessSet();
      assertEquals("127.0.0.1", System.getProperty(H2Binding.PROPERTY));
      System.setProperty(H2Binding.PROPERTY, "::1");
      H2Binding.loopbackUnlessSet();
      assertEquals("::1", System.getProperty(H2Binding.PROPERTY), "an explicit choice is kept");
    } finally {
      if (before == null) {
        System.clearProperty(H2Binding.PROPERTY);
      } else {
        System.setProperty(H2Binding.PROPERTY, before);
      }
    }
  }
}
