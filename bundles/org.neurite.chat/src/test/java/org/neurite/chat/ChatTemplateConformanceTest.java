package org.neurite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

/**
 * Every conversation render_expected.py rendered with jinja2, rendered again through the public API
 * and compared byte for byte (errors: the exact message). Each template is read three ways, as model
 * folders carry it: chat_template.jinja, a string in tokenizer_config.json, and the "default" entry
 * of tokenizer_config.json's list form.
 */
class ChatTemplateConformanceTest {
  @TempDir Path temporary;

  @TestFactory
  Stream<DynamicContainer> everyCaseIsByteIdenticalToJinja2() throws IOException {
    JsonObject expected = Expected.json();
    Clock clock = Expected.clock();
    List<DynamicContainer> layouts = new ArrayList<>();
    for (String layout : List.of("chat_template.jinja", "tokenizer_config.json string", "tokenizer_config.json list")) {
      List<DynamicTest> tests = new ArrayList<>();
      for (JsonElement element : expected.getAsJsonArray("cases")) {
        JsonObject c = element.getAsJsonObject();
        String model = c.get("model").getAsString();
        String label = model + " / " + c.get("conversation").getAsString() + " / add_generation_prompt="
            + c.get("add_generation_prompt").getAsBoolean();
        tests.add(DynamicTest.dynamicTest(label, () -> check(c, layout(model, layout), clock)));
      }
      layouts.add(DynamicContainer.dynamicContainer(layout, tests));
    }
    return layouts.stream();
  }

  private void check(JsonObject c, Path folder, Clock clock) {
    ChatTemplate template = ChatTemplates.require(folder).withClock(clock);
    List<ChatMessage> messages = messages(c.getAsJsonArray("messages"));
    boolean addGenerationPrompt = c.get("add_generation_prompt").getAsBoolean();
    @SuppressWarnings("unchecked")
    Map<String, Object> variables = Expected.GSON.fromJson(c.get("variables"), Map.class);
    if (c.has("error")) {
      NeuriteException error = assertThrows(NeuriteException.class, () -> template.render(messages, addGenerationPrompt, variables));
      assertEquals("Model folder " + folder + ": the chat template in " + folder.relativize(template.source())
          + " rejects this conversation: " + c.get("error").getAsString(), error.getMessage());
    } else {
      assertEquals(c.get("expected").getAsString(), template.render(messages, addGenerationPrompt, variables));
    }
  }

  /** The model's folder as the test resources have it, or a copy with the template moved into the config. */
  private Path layout(String model, String layout) throws IOException {
    Path original = Expected.model(model);
    if (layout.equals("chat_template.jinja")) {
      return original;
    }
    Path folder = temporary.resolve(layout.replace(' ', '-')).resolve(model);
    if (Files.isDirectory(folder)) {
      return folder;
    }
    Files.createDirectories(folder);
    String text = Files.readString(original.resolve("chat_template.jinja"), StandardCharsets.UTF_8);
    JsonObject config = Expected.GSON.fromJson(Files.readString(original.resolve("tokenizer_config.json")), JsonObject.class);
    if (layout.endsWith("string")) {
      config.addProperty("chat_template", text);
    } else {
      JsonArray list = new JsonArray();
      list.add(named("tool_use", "{{ raise_exception('not this one') }}"));
      list.add(named("default", text));
      config.add("chat_template", list);
    }
    Files.writeString(folder.resolve("tokenizer_config.json"), Expected.GSON.toJson(config), StandardCharsets.UTF_8);
    return folder;
  }

  private static JsonObject named(String name, String template) {
    JsonObject entry = new JsonObject();
    entry.addProperty("name", name);
    entry.addProperty("template", template);
    return entry;
  }

  private static List<ChatMessage> messages(JsonArray array) {
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonElement element : array) {
      JsonObject message = element.getAsJsonObject();
      messages.add(new ChatMessage(message.get("role").getAsString(), message.get("content").getAsString()));
    }
    return messages;
  }
}
