package io.datahose.archiver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code exports:} list: valid deliveries bind, and every bad item names its key (exports[i].…) and the file. */
@DisplayName("Configuration of scheduled deliveries")
class ExportsConfigTest {

  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("datahose-archiver.yaml");
    Files.writeString(file, text);
    return file;
  }

  private void assertRefused(String exports, String key, String fragment) throws IOException {
    Path file = yaml("exports:\n" + exports);
    assertThatThrownBy(() -> AppConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ": ")
        .hasMessageEndingWith(" in " + file)
        .hasMessageContaining(fragment)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }

  @Test
  @DisplayName("none by default; a directory and an SMTP delivery bind with their filter, interval and password from the environment")
  void valid() throws IOException {
    assertThat(AppConfig.load(yaml(""), Map.of()).exports()).isEmpty();
    AppConfig c = AppConfig.load(yaml("""
        exports:
          - name: daily-actiance
            format: actiance
            every: 1d
            filter: {stream: "abc", user: 349026222344891}
            target: {dir: "%s"}
          - name: gr
            format: eml
            every: 6h
            emlMaxBytes: 10MB
            target:
              smtp: {host: smtp.bank.example, port: 587, from: a@bank.example, to: [gr@gr.example], user: a, passwordEnv: SMTP_PW}
        """.formatted(dir.resolve("out"))), Map.of("SMTP_PW", "s3cret"));
    assertThat(c.exports()).hasSize(2);
    AppConfig.Delivery d = c.exports().get(0);
    assertThat(d.dir()).isEqualTo(dir.resolve("out"));
    assertThat(d.every()).isEqualTo(Duration.ofDays(1));
    assertThat(d.user()).isEqualTo(349026222344891L);
    assertThat(d.stream()).isEqualTo("abc");
    AppConfig.Smtp smtp = c.exports().get(1).smtp();
    assertThat(smtp.port()).isEqualTo(587);
    assertThat(smtp.starttls()).as("STARTTLS unless turned off").isTrue();
    assertThat(smtp.to()).isEqualTo(List.of("gr@gr.example"));
    assertThat(smtp.password().value()).isEqualTo("s3cret");
    assertThat(c.exports().get(1).emlMaxBytes()).isEqualTo(10L << 20);
    assertThat(c.summary().encode()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("a bad item names the key: unknown keys at each level, format, interval, target, smtp with a non-eml format, duplicate names")
  void refused() throws IOException {
    String dirTarget = "    target: {dir: /tmp/x}\n";
    assertRefused("  - {name: a, format: pdf, every: 1d, target: {dir: /tmp/x}}\n", "exports[0].format", "must be one of");
    assertRefused("  - {name: a, format: csv, evry: 1d, target: {dir: /tmp/x}}\n", "exports[0].evry", "unknown key");
    assertRefused("  - {name: a, format: csv, target: {dir: /tmp/x}}\n", "exports[0].every", "is required");
    assertRefused("  - {name: a, format: csv, every: 1d, target: {folder: /tmp/x}}\n", "exports[0].target.folder",
        "unknown key");
    assertRefused("  - {name: a, format: csv, every: 1d, target: {}}\n", "exports[0].target", "exactly one of");
    assertRefused("  - {name: a, format: csv, every: 1d, filter: {type: NOPE}, target: {dir: /tmp/x}}\n",
        "exports[0].filter.type", "unknown event type");
    assertRefused("  - {name: a, format: csv, every: 1d, target: {smtp: {host: h, from: f@x, to: [t@x]}}}\n",
        "exports[0].format", "must be eml");
    assertRefused("  - {name: a, format: eml, every: 1d, target: {smtp: {host: h, prt: 25, from: f@x, to: [t@x]}}}\n",
        "exports[0].target.smtp.prt", "unknown key");
    assertRefused("  - {name: a, format: eml, every: 1d, target: {smtp: {host: h, from: f@x, to: [t@x], user: u, passwordEnv: NOT_SET}}}\n",
        "exports[0].target.smtp.passwordEnv", "is not set");
    assertRefused("  - name: a\n    format: csv\n    every: 1d\n" + dirTarget + "  - name: a\n    format: jsonl\n    every: 1h\n"
        + dirTarget, "exports[1].name", "names another delivery");
  }
}
