package org.neurite.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.api.NeuriteException;
import org.neurite.api.model.ModelConfig;

class JsonModelConfigTest {

  @Test
  void configErrorsNameTheKeyAndTheFile() {
    ModelConfig c = JsonModelConfig.of("{\"model_type\":\"llama\",\"hidden_size\":\"big\",\"rope_scaling\":{\"factor\":8}}",
        "/m/config.json");
    assertEquals("llama", c.modelType());
    NeuriteException e = assertThrows(NeuriteException.class, () -> c.integer("hidden_size"));
    assertTrue(e.getMessage().contains("/m/config.json: 'hidden_size' must be an integer, found \"big\""), e.getMessage());
    NeuriteException missing = assertThrows(NeuriteException.class, () -> c.integer("num_hidden_layers"));
    assertTrue(missing.getMessage().contains("has no 'num_hidden_layers'"), missing.getMessage());
    assertEquals(8.0, c.object("rope_scaling").orElseThrow().number("factor", 1));
    assertEquals(7, c.integer("absent", 7));
  }
}
