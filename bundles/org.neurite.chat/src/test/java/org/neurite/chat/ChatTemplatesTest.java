package org.neurite.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurite.api.NeuriteException;

/** Where templates and special tokens are found, and one test per kind of failure with its exact message. */
class ChatTemplatesTest {
  private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("Hello"));
  private static final String ECHO = "{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}{% endfor %}{{ eos_token }}";

  @TempDir Path folder;

  @Test
  void aFolderWithoutTemplateSaysSoAndWhatToDo() throws IOException {
    write("tokenizer_config.json", "{\"bos_token\": \"<s>\"}");
    assertTrue(ChatTemplates.find(folder).isEmpty());
    assertEquals(List.of(), ChatTemplates.names(folder));
    NeuriteException error = assertThrows(NeuriteException.class, () -> ChatTemplates.require(folder));
    assertEquals("Model folder " + folder + " has no chat template (no chat_template.jinja, and no \"chat_template\" in"
        + " tokenizer_config.json): this model has no chat template; pass raw prompts, or add the template it was trained"
        + " with as " + folder.resolve("chat_template.jinja"), error.getMessage());
  }

  @Test
  void aMissingFolderOrAFileInsteadOfAFolderIsNamed() throws IOException {
    Path missing = folder.resolve("nope");
    assertEquals("Model folder " + missing + " does not exist",
        assertThrows(NeuriteException.class, () -> ChatTemplates.find(missing)).getMessage());
    Path file = write("config.json", "{}");
    assertEquals(file + " is not a folder; pass the model folder that holds tokenizer_config.json",
        assertThrows(NeuriteException.class, () -> ChatTemplates.find(file)).getMessage());
  }

  @Test
  void brokenJsonNamesTheFile() throws IOException {
    Path config = write("tokenizer_config.json", "{\"chat_template\": ");
    String message = assertThrows(NeuriteException.class, () -> ChatTemplates.find(folder)).getMessage();
    assertTrue(message.startsWith(config + " is not valid JSON: "), message);
  }

  @Test
  void aChatTemplateOfTheWrongShapeIsRefused() throws IOException {
    Path config = write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"default\"}]}");
    assertEquals(config + ": \"chat_template\" must be the template's text or a list of {\"name\": ..., \"template\": ...}",
        assertThrows(NeuriteException.class, () -> ChatTemplates.find(folder)).getMessage());
  }

  @Test
  void theJinjaFileWinsOverTheConfigAsInTransformers() throws IOException {
    write("tokenizer_config.json", "{\"chat_template\": \"from the config\"}");
    write("chat_template.jinja", "from the file\n");
    ChatTemplate template = ChatTemplates.require(folder);
    assertEquals(folder.resolve("chat_template.jinja"), template.source());
    assertEquals("default", template.name());
    assertEquals("from the file", template.render(HELLO, false));
  }

  @Test
  void namedTemplatesFromTheConfigList() throws IOException {
    write("tokenizer_config.json", "{\"bos_token\": \"<s>\", \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools:"
        + "{{ tools | length }}\"}, {\"name\": \"default\", \"template\": \"plain\"}]}");
    assertEquals(List.of("default", "tool_use"), ChatTemplates.names(folder));
    assertEquals("plain", ChatTemplates.require(folder).render(HELLO, true));
    ChatTemplate tools = ChatTemplates.find(folder, "tool_use").orElseThrow();
    assertEquals("tools:2", tools.render(HELLO, true, Map.of("tools", List.of(Map.of("name", "a"), Map.of("name", "b")))));
    assertTrue(ChatTemplates.find(folder, "rag").isEmpty());
  }

  @Test
  void namedTemplatesWithoutDefaultMustBeChosenByName() throws IOException {
    write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"t\"}, {\"name\": \"rag\","
        + " \"template\": \"r\"}]}");
    assertEquals("Model folder " + folder + " has chat templates named tool_use, rag and none named default; choose one by name",
        assertThrows(NeuriteException.class, () -> ChatTemplates.find(folder)).getMessage());
    assertEquals("r", ChatTemplates.find(folder, "rag").orElseThrow().render(HELLO, false));
  }

  @Test
  void additionalTemplateFilesAreNamedByTheirFile() throws IOException {
    write("chat_template.jinja", "main");
    Files.createDirectories(folder.resolve("additional_chat_templates"));
    write("additional_chat_templates/tool_use.jinja", "tools");
    assertEquals(List.of("default", "tool_use"), ChatTemplates.names(folder));
    assertEquals("tools", ChatTemplates.find(folder, "tool_use").orElseThrow().render(HELLO, false));
  }

  @Test
  void aProcessorTemplateIsTheLastResort() throws IOException {
    write("chat_template.json", "{\"chat_template\": \"processor {{ messages[0].content }}\"}");
    assertEquals("processor Hello", ChatTemplates.require(folder).render(HELLO, false));
  }

  @Test
  void specialTokensAreTextOrAddedTokensAndTheTokenMapFillsGaps() throws IOException {
    write("tokenizer_config.json", "{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\", \"lstrip\": false},"
        + " \"eos_token\": null, \"pad_token\": \"\", \"chat_template\": \"" + ECHO.replace("\"", "\\\"") + "|{{ pad_token is"
        + " defined }}|{{ unk_token }}\"}");
    write("special_tokens_map.json", "{\"bos_token\": \"<ignored>\", \"eos_token\": {\"content\": \"</s>\"}, \"unk_token\": \"<unk>\"}");
    assertEquals("<s>[user] Hello</s>|False|<unk>", ChatTemplates.require(folder).render(HELLO, false));
  }

  @Test
  void callerVariablesAreTemplateKeywords() throws IOException {
    write("chat_template.jinja", "{{ eos_token }}|{{ tools is none }}|{{ enable_thinking }}|{{ documents is none }}");
    write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
    ChatTemplate template = ChatTemplates.require(folder);
    assertEquals("</s>|True||True", template.render(HELLO, false));
    assertEquals("<end>|True|False|False", template.render(HELLO, false,
        Map.of("eos_token", "<end>", "enable_thinking", false, "documents", List.of(Map.of("text", "d")))));
    IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
        () -> template.render(HELLO, false, Map.of("messages", List.of())));
    assertEquals("'messages' is set by render itself, not as a template variable", reserved.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> template.render(HELLO, false, Map.of("tools", List.of(new Object()))));
    assertEquals("Template variable tools[0] is a java.lang.Object; use null, strings, numbers, booleans, lists and maps",
        type.getMessage());
  }

  @Test
  void raiseExceptionInANamedConfigTemplateNamesTheEntry() throws IOException {
    write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"default\", \"template\": \"ok\"}, {\"name\": \"tool_use\","
        + " \"template\": \"{% if not tools %}{{ raise_exception('This template needs tools.') }}{% endif %}\"}]}");
    ChatTemplate tools = ChatTemplates.find(folder, "tool_use").orElseThrow();
    assertEquals("Model folder " + folder + ": the chat template \"tool_use\" in tokenizer_config.json rejects this conversation:"
        + " This template needs tools.", assertThrows(NeuriteException.class, () -> tools.render(HELLO, true)).getMessage());
  }

  @Test
  void onlyTheFirstRaiseCountsAsInJinja2() throws IOException {
    write("chat_template.jinja", "{% for m in messages %}{{ raise_exception('message ' ~ loop.index) }}{% endfor %}");
    ChatTemplate template = ChatTemplates.require(folder);
    String message = assertThrows(NeuriteException.class,
        () -> template.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), false)).getMessage();
    assertEquals("Model folder " + folder + ": the chat template in chat_template.jinja rejects this conversation: message 1", message);
  }

  @Test
  void aSyntaxErrorNamesTheFileTheLineAndJinjavasMessage() throws IOException {
    write("chat_template.jinja", "{{ bos_token }}\n{% for m in messages %}\n{{ m.content }}\n");
    ChatTemplate template = ChatTemplates.require(folder);
    assertEquals("Model folder " + folder + ": the chat template in chat_template.jinja cannot be rendered: line 2: Syntax error in"
        + " '{% for m in messages %}': Missing end tag: endfor for tag defined as: {% for m in messages %} (see"
        + " docs/generation.md, Chat templates, for what Neurite supports)",
        assertThrows(NeuriteException.class, () -> template.render(HELLO, false)).getMessage());
  }

  @Test
  void anUnknownTagOrABrokenExpressionIsAnError() throws IOException {
    write("chat_template.jinja", "{% generation_of_something %}");
    assertEquals("Model folder " + folder + ": the chat template in chat_template.jinja cannot be rendered: line 1: Syntax error in"
        + " '{% generation_of_something %}': Unknown tag: generation_of_something (see docs/generation.md, Chat templates, for"
        + " what Neurite supports)",
        assertThrows(NeuriteException.class, () -> ChatTemplates.require(folder).render(HELLO, false)).getMessage());
    write("chat_template.jinja", "{{ messages[0].content.no_such_method() }}");
    assertEquals("Model folder " + folder + ": the chat template in chat_template.jinja cannot be rendered: line 1: Cannot find"
        + " method no_such_method with 0 parameters in class java.lang.String (see docs/generation.md, Chat templates, for what"
        + " Neurite supports)",
        assertThrows(NeuriteException.class, () -> ChatTemplates.require(folder).render(HELLO, false)).getMessage());
  }

  @Test
  void aLoopFilterIsRefusedRatherThanMisread() throws IOException {
    write("chat_template.jinja", "{{ bos_token }}\n{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}");
    assertEquals("Model folder " + folder + ": the chat template in chat_template.jinja cannot be rendered: line 2: loop filters"
        + " ({% for x in xs if ... %}) are not supported; filter with selectattr/rejectattr, or put an {% if %} inside the loop"
        + " (see docs/generation.md, Chat templates, for what Neurite supports)",
        assertThrows(NeuriteException.class, () -> ChatTemplates.require(folder).render(HELLO, false)).getMessage());
    write("chat_template.jinja", "{% for m in (messages if messages else []) %}{{ m.content }}{% endfor %}");
    assertEquals("Hello", ChatTemplates.require(folder).render(HELLO, false));
  }

  @Test
  void theClockOfStrftimeNowCanBeFixed() throws IOException {
    write("chat_template.jinja", "{{ strftime_now('%Y-%m-%d %H:%M') }}");
    Clock clock = Clock.fixed(Instant.parse("2024-12-31T23:59:00Z"), ZoneOffset.UTC);
    assertEquals("2024-12-31 23:59", ChatTemplates.require(folder).withClock(clock).render(HELLO, false));
  }

  @Test
  void messagesAreDictsWithRoleAndContent() throws IOException {
    write("chat_template.jinja", "{% for m in messages %}{{ m['role'] }}={{ m.content }};{{ m | tojson }}{% endfor %}");
    assertEquals("tool=x;{\"role\": \"tool\", \"content\": \"x\"}",
        ChatTemplates.require(folder).render(List.of(new ChatMessage("tool", "x")), false));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
  }
}
