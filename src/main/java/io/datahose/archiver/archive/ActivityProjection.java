package io.datahose.archiver.archive;

import io.vertx.core.json.JsonObject;

import static io.datahose.archiver.db.Tables.CONNECTION;
import static io.datahose.archiver.db.Tables.ELEMENTS_ACTION;
import static io.datahose.archiver.db.Tables.SYSTEM_EVENT;

/**
 * The remaining event types, one table each: CONNECTIONREQUESTED (initiator asks {@code toUser}) and
 * CONNECTIONACCEPTED (initiator accepts {@code fromUser}'s request) to {@code connection}; SYMPHONYELEMENTSACTION
 * (a submitted form, formValues as JSON text) to {@code elements_action}; GENERICSYSTEMEVENT (parameters as JSON
 * text) to {@code system_event}. Blocking; call on the storing worker thread.
 */
final class ActivityProjection {

  private ActivityProjection() {
  }

  /** A projector for CONNECTIONREQUESTED / CONNECTIONACCEPTED: {@code otherKey} names the other user. */
  static Projector connection(String payloadKey, String otherKey, String kind) {
    return ctx -> {
      JsonObject other = Payloads.required(ctx.payload(payloadKey), otherKey);
      Long otherId = UserProjection.upsert(ctx, other);
      if (otherId == null) {
        throw new IllegalArgumentException("missing " + otherKey + ".userId");
      }
      ctx.tx().insertInto(CONNECTION)
          .set(CONNECTION.EVENT_SEQ, ctx.seq())
          .set(CONNECTION.KIND, kind)
          .set(CONNECTION.INITIATOR_USER_ID, ctx.initiatorId())
          .set(CONNECTION.OTHER_USER_ID, otherId)
          .set(CONNECTION.OCCURRED_AT, ctx.occurredAt())
          .execute();
    };
  }

  /** SYMPHONYELEMENTSACTION. */
  static void elementsAction(ProjectionContext ctx) {
    JsonObject payload = ctx.payload("symphonyElementsAction");
    String streamId = StreamProjection.upsertOptional(ctx, payload.getJsonObject("stream"));
    ctx.tx().insertInto(ELEMENTS_ACTION)
        .set(ELEMENTS_ACTION.EVENT_SEQ, ctx.seq())
        .set(ELEMENTS_ACTION.STREAM_ID, streamId)
        .set(ELEMENTS_ACTION.FORM_MESSAGE_ID, payload.getString("formMessageId"))
        .set(ELEMENTS_ACTION.FORM_ID, payload.getString("formId"))
        .set(ELEMENTS_ACTION.FORM_VALUES, Payloads.jsonText(payload.getValue("formValues")))
        .set(ELEMENTS_ACTION.USER_ID, ctx.initiatorId())
        .set(ELEMENTS_ACTION.OCCURRED_AT, ctx.occurredAt())
        .execute();
  }

  /** GENERICSYSTEMEVENT. */
  static void genericSystemEvent(ProjectionContext ctx) {
    JsonObject payload = ctx.payload("genericSystemEvent");
    String streamId = StreamProjection.upsertOptional(ctx, payload.getJsonObject("stream"));
    ctx.tx().insertInto(SYSTEM_EVENT)
        .set(SYSTEM_EVENT.EVENT_SEQ, ctx.seq())
        .set(SYSTEM_EVENT.STREAM_ID, streamId)
        .set(SYSTEM_EVENT.EVENT_TIMESTAMP, Payloads.time(payload.getLong("eventTimestamp")))
        .set(SYSTEM_EVENT.SOURCE_SYSTEM, payload.getString("sourceSystem"))
        .set(SYSTEM_EVENT.EVENT_SUBTYPE, payload.getString("eventSubtype"))
        .set(SYSTEM_EVENT.PARAMETERS, Payloads.jsonText(payload.getValue("parameters")))
        .set(SYSTEM_EVENT.INITIATOR_USER_ID, ctx.initiatorId())
        .execute();
  }
}
