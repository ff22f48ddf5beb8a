package io.datahose.archiver.api;

import io.vertx.core.json.JsonObject;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /export?format=actiance|eml|csv} over an archive filled through the ingest path (simulator events of
 * every type plus {@link ExportStory}), each read back by a real parser: the XML by a DOM parser, every EML by
 * Jakarta Mail, the CSV by Apache Commons CSV; counts are checked against the archive's own tables.
 */
@DisplayName("Export formats")
class ExportFormatsTest {

  @TempDir
  static Path dir;
  static ApiHarness h;
  static DSLContext dsl;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 400, ExportStory.events());
    dsl = h.daemon.database().dsl();
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  @DisplayName("Actiance XML parses, holds every message version once and a Deleted per suppression, and ends with a manifest whose hash covers the document")
  void actiance() throws Exception {
    byte[] body = get("/api/v1/export?format=actiance", "application/xml");
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(body));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("FileDump");
    Map<String, Integer> versions = new HashMap<>();
    int deleted = 0;
    NodeList messages = doc.getElementsByTagName("Message");
    for (int i = 0; i < messages.getLength(); i++) {
      Element m = (Element) messages.item(i);
      if ("Deleted".equals(text(m, "UpdatedType"))) {
        deleted++;
      } else {
        versions.merge(text(m, "MessageId"), 1, Integer::sum);
      }
    }
    assertThat(versions.values()).as("each message version once").containsOnly(1);
    assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(messageIdsInConversations());
    assertThat(deleted).isEqualTo(suppressionsInConversations());

    Element day2 = conversation(doc, ExportStory.ROOM, ExportStory.at(2));
    assertThat(text(day2, "RoomID")).isEqualTo("private - " + ExportStory.NAME + " - " + ExportStory.ROOM);
    assertThat(logins(day2, "ParticipantEntered"))
        .containsExactly("zoe@bank.example", "yamada@bank.example", "u603");
    assertThat(logins(day2, "ParticipantLeft")).containsExactly("yamada@bank.example", "zoe@bank.example", "u603");
    assertThat(children(day2, "Message")).extracting(m -> text(m, "MessageId"))
        .containsExactly("export-m1", "export-m2", "export-m2e", "export-m3", "export-m3", "export-m4");
    assertThat(children(day2, "FileTransferStarted")).hasSize(1);
    assertThat(text(children(day2, "FileTransferEnded").get(0), "UserFileName")).isEqualTo("term sheet.pdf");
    Element day1 = conversation(doc, ExportStory.ROOM, ExportStory.at(0));
    assertThat(logins(day1, "ParticipantEntered")).containsExactly("zoe@bank.example", "yamada@bank.example");
    assertThat(text(day1, "EndTimeUTC")).isEqualTo(text(day2, "StartTimeUTC"));

    String xml = new String(body, StandardCharsets.UTF_8);
    int at = xml.lastIndexOf("<!-- datahose-archiver manifest ");
    assertThat(at).isPositive();
    JsonObject manifest = new JsonObject(xml.substring(at + 32, xml.lastIndexOf(" -->")));
    assertThat(manifest.getString("sha256")).isEqualTo(sha256(Arrays.copyOf(body, xml.substring(0, at)
        .getBytes(StandardCharsets.UTF_8).length)));
    assertThat(manifest.getLong("messageVersions")).isEqualTo(versions.size());
    assertThat(manifest.getLong("count")).isEqualTo(dsl.fetchCount(EVENT));
    assertThat(manifest.getLong("conversations")).isEqualTo(doc.getElementsByTagName("Conversation").getLength());
  }

  @Test
  @DisplayName("EML: a ZIP of RFC 5322 messages Jakarta Mail parses, with the Global Relay and Symphony headers, encoded non-ASCII names and both alternatives")
  void eml() throws Exception {
    byte[] body = get("/api/v1/export?format=eml&stream=" + ExportStory.ROOM, "application/zip");
    Map<String, byte[]> entries = unzip(body);
    JsonObject manifest = new JsonObject(new String(entries.remove("manifest.json"), StandardCharsets.UTF_8));
    assertThat(entries).hasSize(2); // the room on two UTC days
    assertThat(manifest.getJsonArray("entries")).hasSize(2);
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (Object o : manifest.getJsonArray("entries")) {
      JsonObject e = (JsonObject) o;
      byte[] bytes = entries.get(e.getString("name"));
      assertThat(sha256(bytes)).isEqualTo(e.getString("sha256"));
      all.update(bytes);
    }
    assertThat(manifest.getString("sha256")).isEqualTo(HexFormat.of().formatHex(all.digest()));

    MimeMessage m = entries.values().stream().map(ExportFormatsTest::parse)
        .filter(x -> header(x, "X-Symphony-Seq") != null && plain(x).contains("second line")).findFirst().orElseThrow();
    assertThat(header(m, "X-GlobalRelay-MsgType")).isEqualTo("Symphony");
    assertThat(header(m, "X-Symphony-StreamID")).isEqualTo(ExportStory.ROOM);
    assertThat(header(m, "X-Symphony-StreamType")).isEqualTo("ROOM");
    assertThat(m.getSubject()).as("a line break in a header value would end the header")
        .isEqualTo("Symphony Compliance Export: " + ExportStory.NAME.replace('\n', ' '));
    assertThat(m.getHeader("To", ",")).as("non-ASCII names as RFC 2047 encoded-words").contains("=?UTF-8?");
    assertThat(Arrays.stream(m.getRecipients(jakarta.mail.Message.RecipientType.TO))
        .map(a -> ((InternetAddress) a).getPersonal())).contains("山田 太郎", "Zoë Müller", "Ann O'Neil");
    for (byte[] eml : entries.values()) { // headers encoded-words, bodies quoted-printable: 7-bit on the wire
      for (byte b : eml) {
        assertThat(b).as("EML bytes are 7-bit ASCII").isNotNegative();
      }
    }
    MimeMultipart alternative = (MimeMultipart) m.getContent();
    assertThat(alternative.getContentType()).startsWith("multipart/alternative");
    assertThat(alternative.getCount()).isEqualTo(2);
    assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
    String plain = (String) alternative.getBodyPart(0).getContent();
    String html = (String) alternative.getBodyPart(1).getContent();
    assertThat(plain).contains(ExportStory.TRICKY + " second line", "Ünïcödé ✓ 山田", "term sheet.pdf", "suppressed export-m3");
    assertThat(html).contains("Price is 101,5 &quot;firm&quot;", "Ünïcödé ✓ 山田");
    assertThat(manifest.getLong("messages")).isEqualTo(2);
  }

  @Test
  @DisplayName("CSV: UTF-8 with a BOM, parsed by Commons CSV: a row per message version with its exact text (commas, quotes, line breaks), a Deleted row per suppression, and a manifest row last")
  void csv() throws Exception {
    byte[] body = get("/api/v1/export?format=csv", "text/csv");
    assertThat(Arrays.copyOf(body, 3)).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    String text = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text)).getRecords();
    CSVRecord last = rows.get(rows.size() - 1);
    assertThat(last.get("Post Type")).isEqualTo("manifest");
    JsonObject manifest = new JsonObject(last.get("Post Message"));
    int manifestAt = text.lastIndexOf("\r\n", text.length() - 3) + 2;
    assertThat(manifest.getString("sha256"))
        .isEqualTo(sha256(Arrays.copyOf(body, 3 + text.substring(0, manifestAt).getBytes(StandardCharsets.UTF_8).length)));
    List<CSVRecord> messages = rows.stream().filter(r -> r.get("Post Type").equals("message")).toList();
    List<CSVRecord> versions = messages.stream().filter(r -> !r.get("Post Update Type").equals("Deleted")).toList();
    assertThat(versions).extracting(r -> r.get("Post Id")).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(messageIdsInConversations());
    assertThat(messages.size() - versions.size()).isEqualTo(suppressionsInConversations());
    Map<String, String> texts = new HashMap<>();
    dsl.select(MESSAGE.MESSAGE_ID, MESSAGE.PLAIN_TEXT).from(MESSAGE).forEach(r -> texts.put(r.value1(),
        r.value2() == null ? "" : r.value2()));
    versions.forEach(r -> assertThat(r.get("Post Message")).as(r.get("Post Id")).isEqualTo(texts.get(r.get("Post Id"))));
    assertThat(texts.get("export-m1")).contains(",", "\""); // the quoting cases are really there
    assertThat(rows.stream().filter(r -> r.get("Stream Id").equals(ExportStory.ROOM)).map(r -> r.get("Stream Name")))
        .containsOnly(ExportStory.NAME);
    CSVRecord edited = versions.stream().filter(r -> r.get("Post Id").equals("export-m2")).findFirst().orElseThrow();
    assertThat(edited.get("Post Update Type")).isEqualTo("EditedOriginalMsg");
    assertThat(edited.get("Edited By Post Id")).isEqualTo("export-m2e");
    assertThat(rows.stream().filter(r -> r.get("Stream Id").equals(ExportStory.ROOM)).map(r -> r.get("Post Type")))
        .containsExactly("enter", "enter", "previously-joined", "previously-joined", "enter", "message",
            "message", "attachment", "message", "message", "message", "leave", "message");
    assertThat(manifest.getLong("messageVersions")).isEqualTo(versions.size());
  }

  @Test
  @DisplayName("An unknown format is a 400 naming the allowed ones")
  void unknownFormat() {
    ApiHarness.Reply reply = h.get("alice", "/api/v1/export?format=pdf");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("detail")).contains("format", "actiance", "eml", "csv");
  }

  /** Message rows whose carrying event is part of a conversation (has a stream and a time). */
  static Set<String> messageIdsInConversations() {
    return dsl.select(MESSAGE.MESSAGE_ID).from(MESSAGE).join(EVENT).on(EVENT.SEQ.eq(MESSAGE.EVENT_SEQ))
        .where(EVENT.STREAM_ID.isNotNull(), EVENT.OCCURRED_AT.isNotNull()).fetchSet(MESSAGE.MESSAGE_ID);
  }

  static int suppressionsInConversations() {
    return dsl.fetchCount(DSL.select(SUPPRESSION.EVENT_SEQ).from(SUPPRESSION).join(EVENT)
        .on(EVENT.SEQ.eq(SUPPRESSION.EVENT_SEQ)).where(EVENT.STREAM_ID.isNotNull(), EVENT.OCCURRED_AT.isNotNull()));
  }

  private static byte[] get(String path, String contentType) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.base() + path))
        .header("Authorization", "Bearer " + h.tokens.get("alice")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(contentType);
    return response.body();
  }

  private static Element conversation(Document doc, String stream, long dayOf) {
    long dayStart = dayOf - dayOf % 86_400_000L;
    NodeList all = doc.getElementsByTagName("Conversation");
    for (int i = 0; i < all.getLength(); i++) {
      Element c = (Element) all.item(i);
      if (text(c, "RoomID").endsWith(" - " + stream) && Long.parseLong(text(c, "StartTimeUTC")) == dayStart) {
        return c;
      }
    }
    throw new AssertionError("no conversation of " + stream + " starting " + dayStart);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<String> logins(Element conversation, String name) {
    return children(conversation, name).stream().map(e -> text(e, "LoginName")).collect(Collectors.toList());
  }

  private static String text(Element parent, String child) {
    NodeList n = parent.getElementsByTagName(child);
    return n.getLength() == 0 ? null : n.item(0).getTextContent();
  }

  static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  static MimeMessage parse(byte[] eml) {
    try {
      return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(eml));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String header(MimeMessage m, String name) {
    try {
      return m.getHeader(name, ",");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String plain(MimeMessage m) {
    try {
      return (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
