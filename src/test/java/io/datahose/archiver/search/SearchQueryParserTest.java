package io.datahose.archiver.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The documented search syntax parses to the expected query; every other Lucene syntax is a 400. */
@DisplayName("Search syntax")
class SearchQueryParserTest {

  private static final Analyzer ANALYZER = new PerFieldAnalyzerWrapper(new StandardAnalyzer(CharArraySet.EMPTY_SET),
      Map.of("cashtag", new KeywordAnalyzer(), "hashtag", new KeywordAnalyzer(), "mention", new KeywordAnalyzer()));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "deal                         | +text:deal",
      "Deal Rates                   | +text:deal +text:rates",
      "deal AND rates               | +text:deal +text:rates",
      "deal OR rates                | (+text:deal) (+text:rates)",
      "a b OR c                     | (+text:a +text:b) (+text:c)",
      "\"edited wording\"           | +text:\"edited wording\"",
      "deal -rates                  | +text:deal -text:rates",
      "deal -\"bad idea\"           | +text:deal -text:\"bad idea\"",
      "$AAPL                        | +cashtag:aapl",
      "#Rates                       | +hashtag:rates",
      "@349026222344891             | +mention:349026222344891",
      "mention:349026222344891 deal | +mention:349026222344891 +text:deal",
      "e-mail                       | +text:\"e mail\"",
      "don't                        | +text:don't",
      "the                          | +text:the",
      "NOT                          | +text:not",
  })
  @DisplayName("The documented syntax parses to the expected query")
  void documented(String q, String expected) {
    assertThat(SearchQueryParser.parse(q, ANALYZER).toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\\text:deal", "text:deal", "raw:field", "/.*/", "/dea[l]/", "{* TO *}", "[a TO z]",
      "deal~2", "deal~", "de?l", "deal*", "*wild", "deal^10", "(deal OR rates)", "+deal", "!deal", "deal && rates",
      "deal || rates", "\"unbalanced", "OR deal", "deal OR", "deal OR OR rates", "AND", "-deal", "deal OR -rates",
      "$", "#", "@", "$A*", "mention:abc", "\"a\\\"b\"", "deal <script>", "a=b", "\"\""})
  @DisplayName("Anything else is refused as syntax (the API's 400), without echoing the input")
  void refused(String q) {
    assertThatThrownBy(() -> SearchQueryParser.parse(q, ANALYZER))
        .isInstanceOfSatisfying(SearchSyntaxException.class, e -> {
          assertThat(e.getMessage()).startsWith("q");
          assertThat(e.getMessage()).doesNotContain(q.length() > 3 ? q : "\u0000");
        });
  }
}
