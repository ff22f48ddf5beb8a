package io.datahose.archiver.search;

import io.datahose.archiver.search.IndexFeed.IndexedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Lucene message index and the officer query syntax. */
@DisplayName("Search index")
class SearchIndexTest {

  private static final String TICKER = "{\"0\":{\"type\":\"org.symphonyoss.fin.security\",\"version\":\"1.0\",\"id\":"
      + "[{\"type\":\"org.symphonyoss.fin.security.id.ticker\",\"value\":\"AAPL\"}]},"
      + "\"1\":{\"type\":\"com.symphony.user.mention\",\"id\":[{\"type\":\"com.symphony.user.userId\",\"value\":349026222344891}]}}";

  private SearchIndex index;

  @BeforeEach
  void fill() {
    index = SearchIndex.inMemory();
    index.add(List.of(
        new IndexedMessage(1, "m1", "Buying $AAPL today @Jane Doe", TICKER),
        new IndexedMessage(2, "m2", "the deal closes today #rates", "{}"),
        new IndexedMessage(3, "m3", "Grüße: the spread is tight", null),
        new IndexedMessage(3, "m3s", "shared: the deal closes tomorrow", null),
        new IndexedMessage(5, "m5", "Résumé of the call", "not json")), 5);
  }

  @AfterEach
  void close() {
    index.close();
  }

  @ParameterizedTest(name = "q={0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "$AAPL                  | m1",
      "$aapl                  | m1",
      "#rates                 | m2",
      "@349026222344891       | m1",
      "mention:349026222344891| m1",
      "today                  | m1 m2",
      "deal today             | m2",
      "deal AND today         | m2",
      "tomorrow OR Buying     | m1 m3s",
      "\"deal closes today\"  | m2",
      "grüße                  | m3",
      "résumé                 | m5",
      "today -deal            | m1",
  })
  @DisplayName("Words, phrases, AND/OR, cashtags, hashtags and mentions find the right messages in seq order")
  void syntax(String q, String expected) {
    assertThat(index.search(q.trim(), 0, 100).stream().map(SearchIndex.Hit::messageId).toList())
        .containsExactly(expected.trim().split(" "));
  }

  @Test
  @DisplayName("The last indexed seq goes into the commit data and search can start from a seq")
  void lastSeqAndFromSeq() {
    assertThat(index.lastSeq()).isEqualTo(5);
    assertThat(index.committedSeq()).isZero();
    assertThat(index.commit()).isTrue();
    assertThat(index.committedSeq()).isEqualTo(5);
    assertThat(index.commit()).as("nothing new to commit").isFalse();
    assertThat(index.search("the", 3, 100).stream().map(SearchIndex.Hit::messageId).toList())
        .containsExactly("m3", "m3s", "m5");
    index.clear();
    assertThat(index.lastSeq()).isZero();
    assertThat(index.committedSeq()).isZero();
    assertThat(index.search("the", 0, 100)).isEmpty();
  }

  @ParameterizedTest(name = "q={0}")
  @CsvSource({"'\"open phrase'", "*leading", "text:field", "'   '", "AND"})
  @DisplayName("Invalid query syntax is a SearchSyntaxException naming q (the API's 400), never an internal error")
  void badSyntax(String q) {
    assertThatThrownBy(() -> index.search(q, 0, 10)).isInstanceOf(SearchSyntaxException.class)
        .hasMessageStartingWith("q");
  }
}
