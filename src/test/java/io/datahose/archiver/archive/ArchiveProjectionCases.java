package io.datahose.archiver.archive;

import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static io.datahose.archiver.archive.ArchiveTestEvents.utc;
import static io.datahose.archiver.db.Tables.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The table for ArchiveProjectionTest: per event type, an optional tweak of the example and the rows expected. */
final class ArchiveProjectionCases {

  record Case(String type, Consumer<JsonObject> tweak, BiConsumer<DSLContext, Long> check) {
    @Override
    public String toString() {
      return type;
    }
  }

  private ArchiveProjectionCases() {
  }

  private static Case of(String type, BiConsumer<DSLContext, Long> check) {
    return new Case(type, e -> { }, check);
  }

  private static void membership(DSLContext sql, String action) {
    assertThat(sql.select(MEMBERSHIP.STREAM_ID, MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION, MEMBERSHIP.ACTOR_USER_ID,
            MEMBERSHIP.EVENT_SEQ, MEMBERSHIP.OCCURRED_AT).from(MEMBERSHIP).fetch().map(r -> r.intoList()))
        .containsExactly(Arrays.asList("", 0L, action, 0L, 1L, null));
    assertThat(sql.fetchOne(STREAM, STREAM.STREAM_ID.eq("")).getStreamType()).isEqualTo("ROOM");
    assertThat(sql.fetchCount(APP_USER)).isEqualTo(1);
  }

  static List<Case> all() {
    return List.of(
        of("MESSAGESENT", (sql, seq) -> {
          var m = sql.fetchOne(MESSAGE);
          assertThat(m.getMessageId()).isEqualTo("Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ");
          assertThat(m.getEventSeq()).isEqualTo(seq);
          assertThat(m.getStreamId()).isEqualTo("IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA");
          assertThat(m.getSenderUserId()).isEqualTo(344147139494862L);
          assertThat(m.getSentAt()).isEqualTo(utc(1595365005847L));
          assertThat(m.getPresentationMl()).startsWith("<div data-format=\"PresentationML\"");
          assertThat(m.getPlainText()).isEqualTo("hi");
          assertThat(m.getEntityJson()).isEqualTo("{}");
          assertThat(m.getExternalRecipients()).isFalse();
          assertThat(m.getUserAgent()).isEqualTo("DESKTOP-43.0.0-10902-MacOSX-10.14.6-Chrome-83.0.4103.61");
          assertThat(m.getOriginalFormat()).isEqualTo("com.symphony.messageml.v2");
          assertThat(m.getSid()).isEqualTo("98202eac-dcf4-4b1e-a120-596db38319dc");
          assertThat(m.getAttachmentCount()).isZero();
          assertThat(m.getSuppressed()).isFalse();
          assertThat(sql.fetchValue(STREAM.STREAM_TYPE, STREAM.STREAM_ID.eq(m.getStreamId()))).isEqualTo("IM");
          var u = sql.fetchOne(APP_USER);
          assertThat(Arrays.asList(u.getFirstName(), u.getLastName(), u.getDisplayName(), u.getEmail(), u.getUsername()))
              .containsExactly("Reed", "Feldman", "Reed Feldman (SUP)", "reed.feldman@symphony.com", "reedUAT");
          assertThat(u.getFirstSeenAt()).isEqualTo(utc(1595365005847L));
          assertThat(sql.fetchCount(USER_IDENTITY)).isEqualTo(1);
          var e = sql.fetchOne(EVENT);
          assertThat(Arrays.asList(e.getEventId(), e.getMessageId(), e.getStreamId(), e.getInitiatorUserId()))
              .containsExactly("9rc1dr", "Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ", m.getStreamId(), 344147139494862L);
          assertThat(e.getOccurredAt()).isEqualTo(utc(1595365005847L));
        }),
        of("MESSAGESUPPRESSED", (sql, seq) -> {
          var s = sql.fetchOne(SUPPRESSION);
          assertThat(s.intoList()).containsExactly(seq, "QasBvaApRVqAIGPcqUTOAn___qRaa6hwdA",
              "ksuDd0xGnAGW1B4plItFyn___qRfGLBsdA", 8933531976380L, utc(1493131629382L));
          assertThat(sql.fetchValue(APP_USER.USER_ID)).isEqualTo(8933531976380L);
          assertThat(sql.fetchCount(USER_IDENTITY)).isZero();
        }),
        of("SYMPHONYELEMENTSACTION", (sql, seq) -> {
          var a = sql.fetchOne(ELEMENTS_ACTION);
          assertThat(a.getStreamId()).isEqualTo("YuK1c2y2yuie6+UfQnjSPX///pQEn69idA==");
          assertThat(a.getFormMessageId()).isEqualTo("xtZqqBNGwLDkLuvuQTyjH3///pQENvjudA==5454");
          assertThat(a.getFormId()).isEqualTo("form_id");
          assertThat(new JsonObject(a.getFormValues()).getString("action")).isEqualTo("submit_button");
          assertThat(new JsonObject(a.getFormValues()).getString("comment")).isEqualTo("my comment");
          assertThat(a.getUserId()).isEqualTo(7078106482890L);
          assertThat(a.getOccurredAt()).isEqualTo(utc(1563297404217L));
        }),
        new Case("SHAREDPOST", e -> {
          JsonObject p = e.getJsonObject("payload").getJsonObject("sharedPost");
          p.getJsonObject("message").put("messageId", "share-1").put("timestamp", 1_600_000_000_500L)
              .getJsonObject("stream").put("streamId", "wall-sharer");
          p.getJsonObject("sharedMessage").put("messageId", "orig-1").put("timestamp", 1_600_000_000_000L)
              .getJsonObject("stream").put("streamId", "wall-author");
          e.getJsonObject("initiator").getJsonObject("user").put("userId", 77L);
        }, (sql, seq) -> {
          assertThat(sql.fetchOne(SHARED_POST).intoList()).containsExactly(seq, "share-1", "orig-1", 77L, null);
          assertThat(sql.select(MESSAGE.MESSAGE_ID, MESSAGE.STREAM_ID, MESSAGE.PLAIN_TEXT, MESSAGE.SHARED_MESSAGE_ID,
                  MESSAGE.SENT_AT).from(MESSAGE).orderBy(MESSAGE.MESSAGE_ID).fetch().map(r -> r.intoList()))
              .containsExactly(Arrays.asList("orig-1", "wall-author", "Original Post", null, utc(1_600_000_000_000L)),
                  Arrays.asList("share-1", "wall-sharer", "Sent when sharing the original post", "orig-1",
                      utc(1_600_000_000_500L)));
          assertThat(sql.fetch(STREAM).getValues(STREAM.STREAM_TYPE)).containsExactly("POST", "POST");
        }),
        of("INSTANTMESSAGECREATED", (sql, seq) -> {
          assertThat(sql.select(IM_PARTICIPANT.STREAM_ID, IM_PARTICIPANT.USER_ID, IM_PARTICIPANT.EVENT_SEQ)
              .from(IM_PARTICIPANT).orderBy(IM_PARTICIPANT.USER_ID).fetch().map(r -> r.intoList()))
              .containsExactly(Arrays.asList("", 0L, seq), Arrays.asList("", 1L, seq));
          assertThat(sql.select(MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION).from(MEMBERSHIP).orderBy(MEMBERSHIP.USER_ID)
              .fetch().map(r -> r.intoList())).containsExactly(Arrays.asList(0L, "IM_MEMBER"), Arrays.asList(1L, "IM_MEMBER"));
          var s = sql.fetchOne(STREAM);
          assertThat(Arrays.asList(s.getStreamType(), s.getExternal())).containsExactly("IM", false);
          assertThat(sql.fetch(APP_USER).getValues(APP_USER.USER_ID)).containsExactlyInAnyOrder(0L, 1L);
        }),
        of("ROOMCREATED", (sql, seq) -> {
          var s = sql.fetchOne(STREAM);
          assertThat(s.getStreamId()).isEqualTo("tVtJmEG...");
          assertThat(Arrays.asList(s.getStreamType(), s.getRoomName(), s.getDescription())).containsExactly("ROOM", "pub12", "#twelfth");
          assertThat(Arrays.asList(s.getIsPublic(), s.getExternal(), s.getCrossPod(), s.getCopyProtected(), s.getReadOnly(),
              s.getDiscoverable(), s.getMembersCanInvite(), s.getCanViewHistory()))
              .containsExactly(true, false, false, false, false, false, false, false);
          assertThat(s.getCreatorUserId()).isEqualTo(14568000000000L);
          assertThat(s.getCreatedAt()).isEqualTo(utc(1535146379931L));
          var p = sql.fetchOne(ROOM_PROPERTIES);
          assertThat(Arrays.asList(p.getKind(), p.getName(), p.getDescription(), p.getCreatorUserId(), p.getChangedByUserId()))
              .containsExactly("CREATED", "pub12", "#twelfth", 14568000000000L, 14568000000000L);
          assertThat(p.getCreatedDate()).isEqualTo(utc(1535146379931L));
          assertThat(p.getChangedAt()).isEqualTo(utc(1535146379937L));
          assertThat(p.getIsPublic()).isTrue();
          assertThat(sql.select(MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION, MEMBERSHIP.ACTOR_USER_ID).from(MEMBERSHIP)
              .fetch().map(r -> r.intoList())).containsExactly(Arrays.asList(14568000000000L, "CREATOR", 14568000000000L));
        }),
        of("ROOMUPDATED", (sql, seq) -> {
          var p = sql.fetchOne(ROOM_PROPERTIES);
          assertThat(Arrays.asList(p.getKind(), p.getName(), p.getDescription(), p.getDiscoverable(), p.getMembersCanInvite()))
              .containsExactly("UPDATED", "", "", false, false);
          assertThat(p.getIsPublic()).isNull();
          var s = sql.fetchOne(STREAM);
          assertThat(Arrays.asList(s.getRoomName(), s.getDescription(), s.getDiscoverable(), s.getMembersCanInvite()))
              .containsExactly("", "", false, false);
          assertThat(s.getIsPublic()).isNull();
        }),
        of("ROOMDEACTIVATED", (sql, seq) -> {
          assertThat(sql.select(STREAM_STATUS_CHANGE.EVENT_SEQ, STREAM_STATUS_CHANGE.STREAM_ID,
                  STREAM_STATUS_CHANGE.ACTION, STREAM_STATUS_CHANGE.ACTOR_USER_ID).from(STREAM_STATUS_CHANGE)
              .fetchOne().intoList()).containsExactly(seq, "", "DEACTIVATED", 0L);
          var s = sql.fetchOne(STREAM);
          assertThat(s.getDeactivated()).isTrue();
          assertThat(s.getDeactivatedAt()).isNotNull();
        }),
        of("ROOMREACTIVATED", (sql, seq) -> {
          assertThat(sql.fetchValue(STREAM_STATUS_CHANGE.ACTION)).isEqualTo("REACTIVATED");
          var s = sql.fetchOne(STREAM);
          assertThat(s.getDeactivated()).isFalse();
          assertThat(s.getDeactivatedAt()).isNull();
        }),
        of("USERREQUESTEDTOJOINROOM", (sql, seq) -> {
          assertThat(sql.select(MEMBERSHIP.STREAM_ID, MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION).from(MEMBERSHIP)
              .fetchOne().intoList()).containsExactly("cVHHJfFJbjyQ4bmHsHJBcdA", 68719476737L, "REQUESTED");
          assertThat(sql.fetch(JOIN_REQUEST_OWNER).getValues(JOIN_REQUEST_OWNER.OWNER_USER_ID))
              .containsExactlyInAnyOrder(68719476759L, 68719476760L);
          assertThat(sql.fetchValue(APP_USER.DISPLAY_NAME, APP_USER.USER_ID.eq(68719476760L))).isEqualTo("owner2 owner2");
          assertThat(sql.fetchCount(APP_USER)).isEqualTo(3);
        }),
        of("USERJOINEDROOM", (sql, seq) -> membership(sql, "JOINED")),
        of("USERLEFTROOM", (sql, seq) -> membership(sql, "LEFT")),
        of("ROOMMEMBERPROMOTEDTOOWNER", (sql, seq) -> membership(sql, "PROMOTED")),
        of("ROOMMEMBERDEMOTEDFROMOWNER", (sql, seq) -> membership(sql, "DEMOTED")),
        of("CONNECTIONREQUESTED", (sql, seq) ->
            assertThat(sql.fetchOne(CONNECTION).intoList()).containsExactly(seq, "REQUESTED", 0L, 0L, null)),
        of("CONNECTIONACCEPTED", (sql, seq) ->
            assertThat(sql.fetchOne(CONNECTION).intoList()).containsExactly(seq, "ACCEPTED", 0L, 0L, null)),
        of("GENERICSYSTEMEVENT", (sql, seq) -> {
          var g = sql.fetchOne(SYSTEM_EVENT);
          assertThat(g.intoList()).containsExactly(seq, "_tiUL8zamhwqo8J0tRGRmH___nF1ABgsdA", utc(1718717111858L),
              "federation", "test.event", "{}", 12345678L);
          var s = sql.fetchOne(STREAM);
          assertThat(Arrays.asList(s.getExternal(), s.getCrossPod())).containsExactly(true, true);
          assertThat(sql.fetchValue(APP_USER.USERNAME)).isEqualTo("connect-bot");
        }));
  }
}
