package io.datahose.archiver.config;

/**
 * A configuration problem found at start-up. The message always names the dotted key (when there is one)
 * and the file or source it came from, e.g. {@code datahose.tag: must be 1..80 characters (got 81) in
 * /etc/datahose-archiver/datahose-archiver.yaml}. Messages never contain secret values.
 */
public class ConfigException extends RuntimeException {

  private final String key;
  private final String source;

  /** A problem with one key: message {@code "<key>: <problem> in <source>"}. */
  public ConfigException(String key, String problem, String source) {
    super(key + ": " + problem + " in " + source);
    this.key = key;
    this.source = source;
  }

  /** A problem with the whole source (unreadable file, invalid YAML). */
  public ConfigException(String problem, String source, Throwable cause) {
    super(source + ": " + problem, cause);
    this.key = null;
    this.source = source;
  }

  /** @return the dotted key at fault, or null when the whole source is at fault */
  public String key() {
    return key;
  }

  /** @return the file or source name */
  public String source() {
    return source;
  }
}
