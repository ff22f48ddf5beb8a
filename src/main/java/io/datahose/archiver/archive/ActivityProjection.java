package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.ConnectionRecord;
import io.datahose.archiver.db.tables.records.ElementsActionRecord;
import io.datahose.archiver.db.tables.records.SystemEventRecord;
import io.vertx.core.json.JsonObject;

/**
 * The remaining event types, one table each: CONNECTIONREQUESTED (initiator asks {@code toUser}) and
 * CONNECTIONACCEPTED (initiator accepts {@code fromUser}'s request) to {@code connection}; SYMPHONYELEMENTSACTION
 * (a submitted form, formValues as JSON text) to {@code elements_action}; GENERICSYSTEMEVENT (parameters as JSON
 * text) to {@code system_event}. Pure (writes into the event's changes).
 */
final class ActivityProjection {

  private ActivityProjection() {
  }

  /** A projector for CONNECTIONREQUESTED / CONNECTIONACCEPTED: {@code otherKey} names the other user. */
  static Projector connection(String otherKey, String kind) {
    return ctx -> {
      JsonObject other = Payloads.required(ctx.payload(), otherKey);
      Long otherId = UserProjection.upsert(ctx, other);
      if (otherId == null) {
        throw new IllegalArgumentException("missing " + otherKey + ".userId");
      }
      ConnectionRecord row = new ConnectionRecord();
      row.setEventSeq(ctx.seq());
      row.setKind(kind);
      row.setInitiatorUserId(ctx.initiatorId());
      row.setOtherUserId(otherId);
      row.setOccurredAt(ctx.occurredAt());
      ctx.changes().insert(row);
    };
  }

  /** SYMPHONYELEMENTSACTION. */
  static void elementsAction(ProjectionContext ctx) {
    JsonObject payload = ctx.payload();
    ElementsActionRecord row = new ElementsActionRecord();
    row.setEventSeq(ctx.seq());
    row.setStreamId(StreamProjection.upsertOptional(ctx, payload.getJsonObject("stream")));
    row.setFormMessageId(payload.getString("formMessageId"));
    row.setFormId(payload.getString("formId"));
    row.setFormValues(Payloads.jsonText(payload.getValue("formValues")));
    row.setUserId(ctx.initiatorId());
    row.setOccurredAt(ctx.occurredAt());
    ctx.changes().insert(row);
  }

  /** GENERICSYSTEMEVENT. */
  static void genericSystemEvent(ProjectionContext ctx) {
    JsonObject payload = ctx.payload();
    SystemEventRecord row = new SystemEventRecord();
    row.setEventSeq(ctx.seq());
    row.setStreamId(StreamProjection.upsertOptional(ctx, payload.getJsonObject("stream")));
    row.setEventTimestamp(Payloads.time(payload.getLong("eventTimestamp")));
    row.setSourceSystem(payload.getString("sourceSystem"));
    row.setEventSubtype(payload.getString("eventSubtype"));
    row.setParameters(Payloads.jsonText(payload.getValue("parameters")));
    row.setInitiatorUserId(ctx.initiatorId());
    ctx.changes().insert(row);
  }
}
