package io.datahose.archiver.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The officer query syntax, and nothing else, to a Lucene query built term by term (no Lucene query parser, so no
 * field, regex, range, wildcard, fuzzy or boost syntax can reach the index): words (all must match),
 * {@code "phrases"}, {@code OR} between alternatives (AND binds tighter: {@code a b OR c} is {@code (a AND b) OR c}),
 * {@code AND} (the default, optional), {@code -word} / {@code -"phrase"} (exclude), {@code $AAPL} cashtags,
 * {@code #hashtag}s and {@code @12345} / {@code mention:12345} mentions by user id. Words and phrases match the
 * plain text through the index's analyzer; tags match exactly, lower-cased. Anything else (a character outside
 * words, an unknown field, an unbalanced quote, a dangling OR, a search that only excludes) is a
 * {@link SearchSyntaxException} (the query side answers it as a 400) that does not echo the input. Pure.
 */
final class SearchQueryParser {

  private static final int MAX_CLAUSES = 64;
  /** What a word may hold: letters, marks, digits and the punctuation found inside words and numbers. */
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}'’.,_%€£¥-]+");
  private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}_.]+");
  private static final String SYNTAX = "use words, \"phrases\", AND, OR, -word, $TICKER, #hashtag, @userId";

  private SearchQueryParser() {
  }

  /** One clause of an AND group. */
  private record Clause(Query query, boolean excluded) {
  }

  static Query parse(String q, Analyzer analyzer) {
    if (q.isBlank()) {
      throw new SearchSyntaxException("q must not be blank");
    }
    List<List<Clause>> groups = new ArrayList<>();
    List<Clause> group = new ArrayList<>();
    boolean afterOr = false;
    int clauses = 0;
    int i = 0;
    while (i < q.length()) {
      char c = q.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      boolean excluded = false;
      if (c == '-' && i + 1 < q.length() && !Character.isWhitespace(q.charAt(i + 1))) {
        excluded = true;
        i++;
        c = q.charAt(i);
      }
      Query query;
      if (c == '"') {
        int end = q.indexOf('"', i + 1);
        if (end < 0) {
          throw new SearchSyntaxException("q: a phrase's closing \" is missing");
        }
        query = text(q.substring(i + 1, end), analyzer, true);
        i = end + 1;
      } else {
        int end = i;
        while (end < q.length() && !Character.isWhitespace(q.charAt(end)) && q.charAt(end) != '"') {
          end++;
        }
        String token = q.substring(i, end);
        i = end;
        if (!excluded && (token.equals("OR") || token.equals("AND"))) {
          if (group.isEmpty() || afterOr) {
            throw new SearchSyntaxException("q: " + token + " needs a term on each side; " + SYNTAX);
          }
          if (token.equals("OR")) {
            groups.add(group);
            group = new ArrayList<>();
            afterOr = true;
          }
          continue;
        }
        query = term(token, analyzer);
      }
      if (++clauses > MAX_CLAUSES) {
        throw new SearchSyntaxException("q has more than " + MAX_CLAUSES + " terms");
      }
      afterOr = false;
      if (query != null) {
        group.add(new Clause(query, excluded));
      }
    }
    if (afterOr) {
      throw new SearchSyntaxException("q: OR needs a term on each side; " + SYNTAX);
    }
    groups.add(group);
    return build(groups);
  }

  private static Query build(List<List<Clause>> groups) {
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (List<Clause> group : groups) {
      if (group.stream().allMatch(Clause::excluded)) {
        throw new SearchSyntaxException("q: each alternative needs at least one word to match, not only exclusions");
      }
      BooleanQuery.Builder all = new BooleanQuery.Builder();
      group.forEach(c -> all.add(c.query(), c.excluded() ? BooleanClause.Occur.MUST_NOT : BooleanClause.Occur.MUST));
      if (groups.size() == 1) {
        return all.build();
      }
      any.add(all.build(), BooleanClause.Occur.SHOULD);
    }
    return any.build();
  }

  /** @return the query of one unquoted token: a tag, a mention or a word; null when it holds no searchable text */
  private static Query term(String token, Analyzer analyzer) {
    char first = token.charAt(0);
    if (first == '$' || first == '#' || first == '@') {
      String value = token.substring(1);
      if (!TAG.matcher(value).matches()) {
        throw new SearchSyntaxException("q: " + first + " must be followed by letters or digits; " + SYNTAX);
      }
      String field = first == '$' ? "cashtag" : first == '#' ? "hashtag" : "mention";
      return new TermQuery(new Term(field, value.toLowerCase(Locale.ROOT)));
    }
    if (token.startsWith("mention:")) {
      String id = token.substring("mention:".length());
      if (!id.matches("\\d{1,20}")) {
        throw new SearchSyntaxException("q: mention: must be followed by a user id; " + SYNTAX);
      }
      return new TermQuery(new Term("mention", id));
    }
    if (token.indexOf(':') >= 0) {
      throw new SearchSyntaxException("q: the only field is mention:; " + SYNTAX);
    }
    if (!WORD.matcher(token).matches()) {
      throw new SearchSyntaxException("q holds a character that is not part of the search syntax; " + SYNTAX);
    }
    return text(token, analyzer, false);
  }

  /** @return a term or phrase query over the analyzed text; null for text without tokens (an unquoted "-") */
  private static Query text(String text, Analyzer analyzer, boolean phrase) {
    if (phrase && (text.indexOf('\\') >= 0)) {
      throw new SearchSyntaxException("q: a phrase cannot hold a backslash; " + SYNTAX);
    }
    List<String> tokens = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tokens.isEmpty()) {
      if (phrase) {
        throw new SearchSyntaxException("q: a phrase holds no searchable text");
      }
      return null;
    }
    if (tokens.size() == 1) {
      return new TermQuery(new Term("text", tokens.get(0)));
    }
    PhraseQuery.Builder builder = new PhraseQuery.Builder();
    tokens.forEach(t -> builder.add(new Term("text", t)));
    return builder.build();
  }
}
