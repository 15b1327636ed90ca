package org.neurite.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.launcher.Neurite;
import org.osgi.framework.Bundle;

/**
 * The chat bundle inside the real Felix of the distribution: it resolves on what the distribution
 * ships, and jinjava, embedded in it, renders (tojson through Jackson's and Guava's classes, a
 * template's raise_exception becoming the API's NeuriteException). The test reaches the bundle's
 * classes by reflection: it does not share them.
 */
class ChatTemplatesIT {
  @TempDir static Path workspace;
  @TempDir static Path model;
  private static Neurite neurite;

  @BeforeAll
  static void boot() throws Exception {
    neurite = Neurite.start(Distribution.home(), workspace, System.out, System.err);
  }

  @AfterAll
  static void stop() throws Exception {
    neurite.close();
  }

  @Test
  void rendersAModelFoldersTemplateInsideFelix() throws Exception {
    Files.writeString(model.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<s>\"}, \"chat_template\":"
        + " \"{{ bos_token }}{% for m in messages %}{% if m.role not in ['user'] %}{{ raise_exception('only users: ' ~ m.role) }}"
        + "{% endif %}<{{ m.role }}>{{ m.content.strip() | tojson }}{% endfor %}{% if add_generation_prompt %}<assistant>"
        + "{% endif %}\"}");
    Bundle chat = Arrays.stream(neurite.context().getBundles())
        .filter(b -> "org.neurite.chat".equals(b.getSymbolicName())).findFirst().orElse(null);
    assertNotNull(chat, "org.neurite.chat is not in the distribution");
    assertEquals(Bundle.ACTIVE, chat.getState());

    Class<?> templates = chat.loadClass("org.neurite.chat.ChatTemplates");
    Class<?> message = chat.loadClass("org.neurite.chat.ChatMessage");
    Object template = templates.getMethod("require", Path.class).invoke(null, model);
    Method render = chat.loadClass("org.neurite.chat.ChatTemplate").getMethod("render", List.class, boolean.class, Map.class);
    Object hello = message.getConstructor(String.class, String.class).newInstance("user", "  Grüße \"du\" 🌍 ");
    assertEquals("<s><user>\"Grüße \\\"du\\\" 🌍\"<assistant>", render.invoke(template, List.of(hello), true, Map.of()));

    Object system = message.getConstructor(String.class, String.class).newInstance("system", "x");
    InvocationTargetException error = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class,
        () -> render.invoke(template, List.of(system), false, Map.of()));
    assertEquals("org.neurite.api.NeuriteException", error.getCause().getClass().getName());
    assertTrue(error.getCause().getMessage().endsWith("rejects this conversation: only users: system"),
        error.getCause().getMessage());
  }
}
