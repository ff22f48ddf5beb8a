package io.datahose.archiver.search;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bank-specific terms of a message: cashtags (tickers), hashtags and mentioned user ids, from the EntityJSON
 * ({@code org.symphonyoss.fin.security.id.ticker}, {@code org.symphonyoss.taxonomy.hashtag},
 * {@code com.symphony.user.userId}) and from {@code $TICKER} / {@code #tag} written in the text. Values are
 * lower-cased. Pure; thread-safe.
 */
final class SearchTerms {

  private static final Pattern CASHTAG = Pattern.compile("(?<![\\w$])\\$([A-Za-z][A-Za-z0-9.]{0,19})");
  private static final Pattern HASHTAG = Pattern.compile("(?<![\\w#])#([\\p{L}\\p{N}_]{1,80})");

  private SearchTerms() {
  }

  /** Calls {@code sink(field, value)} for every term; fields: cashtag, hashtag, mention. */
  static void extract(String plainText, String entityJson, BiConsumer<String, String> sink) {
    Set<String> seen = new TreeSet<>();
    BiConsumer<String, String> once = (f, v) -> {
      String value = v.toLowerCase(Locale.ROOT);
      if (seen.add(f + ":" + value)) {
        sink.accept(f, value);
      }
    };
    if (plainText != null) {
      find(CASHTAG, plainText, v -> once.accept("cashtag", v));
      find(HASHTAG, plainText, v -> once.accept("hashtag", v));
    }
    if (entityJson != null) {
      try {
        entities(new JsonObject(entityJson), once);
      } catch (RuntimeException e) {
        // EntityJSON is kept as received; an unparsable one only loses its entities in the index
      }
    }
  }

  private static void find(Pattern pattern, String text, java.util.function.Consumer<String> out) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      out.accept(m.group(1));
    }
  }

  private static void entities(JsonObject json, BiConsumer<String, String> sink) {
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      if (value instanceof JsonObject entity && entity.getValue("id") instanceof JsonArray ids) {
        for (Object id : ids) {
          if (id instanceof JsonObject ident && ident.getValue("value") != null) {
            String type = String.valueOf(ident.getValue("type"));
            String v = String.valueOf(ident.getValue("value"));
            if (type.endsWith(".ticker")) {
              sink.accept("cashtag", v);
            } else if (type.endsWith(".hashtag")) {
              sink.accept("hashtag", v);
            } else if (type.endsWith(".userId")) {
              sink.accept("mention", v);
            }
          }
        }
      }
    }
  }
}
