package org.neurite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** What a benchmark ran on, for the report: CPU, cores, memory, OS, Java, date. */
final class Machine {
  private Machine() {}

  static String describe() {
    return String.format("%s, %d cores, %s RAM, %s %s, Java %s, %s", cpu(), Runtime.getRuntime().availableProcessors(),
        memory(), System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
        LocalDate.now());
  }

  private static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }

  private static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB").findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
