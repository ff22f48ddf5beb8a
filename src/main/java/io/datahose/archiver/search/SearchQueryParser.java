package io.datahose.archiver.search;

import io.datahose.archiver.query.QueryException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Officer query syntax to a Lucene query: words and "phrases" over the plain text (AND between words unless
 * {@code OR} is written), {@code $AAPL} cashtags, {@code #hashtag}s and {@code @12345} / {@code mention:12345}
 * mentions by user id. Wildcards at the start of a word and field names other than these are refused. Pure.
 */
final class SearchQueryParser {

  private static final Pattern SPECIAL = Pattern.compile(
      "(?<![\\w$#@])([$#@])([\\p{L}\\p{N}_.]+)|\\bmention:(\\d+)");
  private static final Pattern FIELD = Pattern.compile("(?<![\\\\\\w])([A-Za-z_]+):");

  private SearchQueryParser() {
  }

  static Query parse(String q, Analyzer analyzer) {
    if (q.isBlank()) {
      throw QueryException.badInput("q must not be blank");
    }
    Matcher field = FIELD.matcher(q);
    while (field.find()) {
      String name = field.group(1);
      if (!name.equals("mention")) {
        throw QueryException.badInput("q: unknown field '" + name + ":' (use words, \"phrases\", AND, OR, $TICKER, "
            + "#hashtag, @userId)");
      }
    }
    StringBuilder rewritten = new StringBuilder();
    Matcher m = SPECIAL.matcher(q);
    while (m.find()) {
      String replacement;
      if (m.group(3) != null) {
        replacement = "mention:" + m.group(3);
      } else {
        String fieldName = switch (m.group(1)) {
          case "$" -> "cashtag";
          case "#" -> "hashtag";
          default -> "mention";
        };
        replacement = fieldName + ":\"" + m.group(2).toLowerCase(Locale.ROOT) + "\"";
      }
      m.appendReplacement(rewritten, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(rewritten);
    QueryParser parser = new QueryParser("text", analyzer);
    parser.setDefaultOperator(QueryParser.Operator.AND);
    parser.setAllowLeadingWildcard(false);
    try {
      return parser.parse(rewritten.toString());
    } catch (ParseException | IndexSearcher.TooManyClauses e) {
      throw QueryException.badInput("q cannot be parsed: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    String text = message == null ? "" : message;
    int nl = text.indexOf('\n');
    text = nl < 0 ? text : text.substring(0, nl);
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
