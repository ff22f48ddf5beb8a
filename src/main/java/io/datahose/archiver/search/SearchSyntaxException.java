package io.datahose.archiver.search;

/**
 * A search query {@code q} the index cannot run: not the search syntax, or more terms than it allows. Its message
 * says what is wrong in the caller's own terms ("q: …") and holds nothing of the archive; the query side answers it
 * as a 400.
 */
public final class SearchSyntaxException extends IllegalArgumentException {

  public SearchSyntaxException(String message) {
    super(message);
  }
}
