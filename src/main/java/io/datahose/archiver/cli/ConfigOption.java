package io.datahose.archiver.cli;

import io.datahose.archiver.config.AppConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/**
 * The {@code --config FILE} option of the commands that work on an archive (a picocli {@code @Mixin}). The file is
 * read once, on first use; a bad key is a {@link io.datahose.archiver.config.ConfigException} naming the key and the
 * file, which Main's handler reports (exit 1).
 */
final class ConfigOption {

  // INHERIT: a command with subcommands (officer, hold) takes it before or after the subcommand's name
  @Option(names = "--config", required = true, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "configuration file (YAML); its database.path is the archive")
  Path file;

  private AppConfig loaded;

  /** @return the configuration, loaded and validated on the first call */
  AppConfig config() {
    if (loaded == null) {
      loaded = AppConfig.load(file);
    }
    return loaded;
  }
}
