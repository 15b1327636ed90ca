package org.neurite.chat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * What render_expected.py wrote with jinja2 in Hugging Face's environment: test/resources/chat/
 * expected.json, beside the model folders it rendered.
 */
public final class Expected {
  /** Integral JSON numbers as Long, as Python reads them as int. */
  public static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
      .disableHtmlEscaping().create();

  private Expected() {}

  public static Path folder() {
    try {
      return Path.of(Expected.class.getResource("/chat/expected.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path model(String name) {
    return folder().resolve("models").resolve(name);
  }

  public static JsonObject json() throws IOException {
    return GSON.fromJson(Files.readString(folder().resolve("expected.json"), StandardCharsets.UTF_8), JsonObject.class);
  }

  /** The script's fixed "now", as a clock in UTC (Python's naive local time, read as UTC here). */
  public static Clock clock() throws IOException {
    LocalDateTime now = LocalDateTime.parse(json().get("now").getAsString());
    return Clock.fixed(now.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  }
}
