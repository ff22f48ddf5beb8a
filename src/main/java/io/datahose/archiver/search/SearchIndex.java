package io.datahose.archiver.search;

import io.datahose.archiver.evidence.PrivateFiles;
import io.datahose.archiver.search.IndexFeed.IndexedMessage;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Lucene full-text index of archived messages: one document per message with its plain text (analysed),
 * cashtags, hashtags and mentions (exact, lower-case) and its event seq (points + doc values, for seq-ordered
 * paging). Added documents are searchable at once (a near-real-time reader, refreshed by {@link #search} when the
 * index changed) but durable only after {@link #commit()}, which stores the last indexed seq in the commit's user
 * data: after a crash the index reopens at its last commit and an indexer resumes from {@link #lastSeq()} there, so
 * a document is never indexed twice. Derived data: the archive is the source of truth and {@link #clear()} +
 * re-feeding rebuilds it. Blocking; thread-safe (writes are serialized here; Lucene's writer and searcher manager
 * are thread-safe).
 */
public final class SearchIndex implements AutoCloseable {

  private static final String LAST_SEQ = "lastSeq";

  private final Directory directory;
  private final Analyzer analyzer;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private volatile long lastSeq;
  private long committedSeq;

  private SearchIndex(Directory directory) throws IOException {
    this.directory = directory;
    Map<String, Analyzer> exact = Map.of("cashtag", new KeywordAnalyzer(), "hashtag", new KeywordAnalyzer(),
        "mention", new KeywordAnalyzer());
    this.analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(CharArraySet.EMPTY_SET), exact);
    this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
    this.searchers = new SearcherManager(writer, null);
    this.committedSeq = committedSeqOf(writer);
    this.lastSeq = committedSeq;
  }

  /** @return the index in {@code dir} (created when absent) */
  public static SearchIndex open(Path dir) {
    try {
      PrivateFiles.ensureDirectory(dir);
      Directory files = new FilterDirectory(FSDirectory.open(dir)) {
        // Lucene creates its files with the umask's permissions: every one is made 0600 as it is created
        @Override
        public IndexOutput createOutput(String name, IOContext context) throws IOException {
          IndexOutput out = super.createOutput(name, context);
          PrivateFiles.restrict(dir.resolve(name));
          return out;
        }

        @Override
        public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
          IndexOutput out = super.createTempOutput(prefix, suffix, context);
          PrivateFiles.restrict(dir.resolve(out.getName()));
          return out;
        }
      };
      SearchIndex index = new SearchIndex(files);
      try (var existing = Files.list(dir)) {
        existing.filter(Files::isRegularFile).forEach(PrivateFiles::restrict); // write.lock, an older index
      }
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open search index " + dir + ": " + e.getMessage(), e);
    }
  }

  /** @return an index in memory (tests, in-memory archives) */
  public static SearchIndex inMemory() {
    try {
      return new SearchIndex(new ByteBuffersDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the greatest event seq indexed (searchable, perhaps not yet committed), 0 when empty */
  public long lastSeq() {
    return lastSeq;
  }

  /** @return the greatest event seq in the last durable commit, 0 when none */
  public synchronized long committedSeq() {
    return committedSeq;
  }

  /**
   * Adds messages (all with seq greater than {@link #lastSeq()}), searchable by the next {@link #search}; durable
   * at the next {@link #commit()}.
   */
  public synchronized void add(List<IndexedMessage> messages, long lastSeq) {
    try {
      for (IndexedMessage m : messages) {
        writer.addDocument(document(m));
      }
      this.lastSeq = lastSeq;
    } catch (IOException e) {
      throw new UncheckedIOException("search index update failed: " + e.getMessage(), e);
    }
  }

  /**
   * Makes everything added so far durable (a Lucene commit, fsync included) with {@link #lastSeq()} in its user
   * data; does nothing when nothing was added since the last commit.
   *
   * @return whether a commit was written
   */
  public synchronized boolean commit() {
    if (committedSeq == lastSeq) {
      return false;
    }
    try {
      writer.setLiveCommitData(Map.of(LAST_SEQ, Long.toString(lastSeq)).entrySet());
      writer.commit();
      committedSeq = lastSeq;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("search index commit failed: " + e.getMessage(), e);
    }
  }

  /**
   * Removes the documents of {@code messageIds} (disposed of) and commits at once: their text must not outlive the
   * disposal.
   */
  public synchronized void delete(List<String> messageIds) {
    try {
      for (String id : messageIds) {
        writer.deleteDocuments(new org.apache.lucene.index.Term("id", id));
      }
      writer.setLiveCommitData(Map.of(LAST_SEQ, Long.toString(lastSeq)).entrySet());
      writer.commit();
      committedSeq = lastSeq;
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("search index delete failed: " + e.getMessage(), e);
    }
  }

  /** Removes every document and commits the empty index (before a rebuild). */
  public synchronized void clear() {
    try {
      writer.deleteAll();
      lastSeq = 0;
      writer.setLiveCommitData(Map.of(LAST_SEQ, "0").entrySet());
      writer.commit();
      committedSeq = 0;
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("search index clear failed: " + e.getMessage(), e);
    }
  }

  /**
   * @return the ids of up to {@code n} messages matching {@code q} with event seq at least {@code fromSeq}, by seq,
   * among every message added before this call
   * @throws SearchSyntaxException when {@code q} is not valid syntax or expands to too many terms
   */
  public List<Hit> search(String q, long fromSeq, int n) {
    Query query = new BooleanQuery.Builder()
        .add(SearchQueryParser.parse(q, analyzer), BooleanClause.Occur.MUST)
        .add(LongPoint.newRangeQuery("seq", fromSeq, Long.MAX_VALUE), BooleanClause.Occur.FILTER)
        .build();
    try {
      // near-real-time: sees every document added before this call, committed or not (cheap when nothing changed)
      searchers.maybeRefreshBlocking();
      IndexSearcher searcher = searchers.acquire();
      try {
        TopFieldDocs top = searcher.search(query, n, new Sort(new SortField("seq", SortField.Type.LONG)));
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc doc : top.scoreDocs) {
          Document d = searcher.storedFields().document(doc.doc);
          hits.add(new Hit(d.getField("seq").numericValue().longValue(), d.get("id")));
        }
        return hits;
      } finally {
        searchers.release(searcher);
      }
    } catch (IndexSearcher.TooManyClauses e) {
      throw new SearchSyntaxException("q expands to too many terms");
    } catch (IOException e) {
      throw new UncheckedIOException("search failed: " + e.getMessage(), e);
    }
  }

  /** A matching message. */
  public record Hit(long seq, String messageId) {
  }

  private static Document document(IndexedMessage m) {
    Document doc = new Document();
    doc.add(new StringField("id", m.messageId(), Field.Store.YES));
    doc.add(new LongPoint("seq", m.seq()));
    doc.add(new NumericDocValuesField("seq", m.seq()));
    doc.add(new StoredField("seq", m.seq()));
    doc.add(new TextField("text", m.plainText() == null ? "" : m.plainText(), Field.Store.NO));
    SearchTerms.extract(m.plainText(), m.entityJson(),
        (field, value) -> doc.add(new StringField(field, value, Field.Store.NO)));
    return doc;
  }

  private static long committedSeqOf(IndexWriter writer) {
    for (Map.Entry<String, String> e : writer.getLiveCommitData()) {
      if (e.getKey().equals(LAST_SEQ)) {
        return Long.parseLong(e.getValue());
      }
    }
    return 0;
  }

  /** Commits what was added ({@link #commit()}) and closes the index. */
  @Override
  public synchronized void close() {
    try {
      commit();
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
