package org.neurite.chat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hubspot.jinjava.interpret.RenderResult;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.neurite.chat.Expected;

/** strftime_now and tojson, each against what Python gave for the same input (expected.json). */
class ReferenceFunctionsTest {
  private final HfJinja jinja = HfJinja.create();

  @TestFactory
  Stream<DynamicTest> strftimeNowFormatsAsPythonOnLinux() throws IOException {
    Clock clock = Expected.clock();
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, JsonElement> format : Expected.json().getAsJsonObject("strftime").entrySet()) {
      tests.add(DynamicTest.dynamicTest(format.getKey(), () ->
          assertEquals(format.getValue().getAsString(), render("{{ strftime_now(f) }}", Map.of("f", format.getKey()), clock))));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> tojsonIsJsonDumpsAsHuggingFaceCallsIt() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonElement element : Expected.json().getAsJsonArray("tojson")) {
      JsonObject c = element.getAsJsonObject();
      Map<String, Object> variables = new HashMap<>();
      variables.put("value", Expected.GSON.fromJson(c.get("value"), Object.class));
      List<String> arguments = new ArrayList<>();
      for (Map.Entry<String, JsonElement> option : c.getAsJsonObject("options").entrySet()) {
        arguments.add(option.getKey() + "=option_" + option.getKey());
        variables.put("option_" + option.getKey(), Expected.GSON.fromJson(option.getValue(), Object.class));
      }
      String template = "{{ value | tojson(" + String.join(", ", arguments) + ") }}";
      tests.add(DynamicTest.dynamicTest(c.get("value") + " " + c.get("options"), () ->
          assertEquals(c.get("expected").getAsString(), render(template, variables, Clock.systemUTC()))));
    }
    return tests.stream();
  }

  private String render(String template, Map<String, Object> variables, Clock clock) {
    RenderResult result = jinja.render(template, variables, clock);
    assertEquals(List.of(), result.getErrors());
    return result.getOutput();
  }
}
