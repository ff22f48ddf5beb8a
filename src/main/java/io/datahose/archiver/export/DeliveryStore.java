package io.datahose.archiver.export;

import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static io.datahose.archiver.db.Tables.EXPORT_DELIVERY;

/**
 * The scheduled deliveries' ledger ({@code export_delivery}): a PENDING row pins a delivery's seq range before
 * anything is sent, {@link #delivered} commits it once the target confirmed, and the next delivery of that name
 * starts after the highest delivered {@code through_seq}. Blocking JDBC; thread-safe.
 */
public final class DeliveryStore {

  public static final String PENDING = "PENDING";
  public static final String DELIVERED = "DELIVERED";

  /** One delivery of the seq range (afterSeq, throughSeq]. */
  public record Delivery(long id, String name, String format, long afterSeq, long throughSeq, String status,
                         String target, int partsSent, Long events, String sha256, String captureGaps,
                         OffsetDateTime startedAt, OffsetDateTime deliveredAt, int attempts, String lastError) {
  }

  private final DSLContext dsl;

  public DeliveryStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @return the highest seq delivered under {@code name}, 0 before the first delivery */
  public long deliveredThrough(String name) {
    Long max = dsl.select(org.jooq.impl.DSL.max(EXPORT_DELIVERY.THROUGH_SEQ)).from(EXPORT_DELIVERY)
        .where(EXPORT_DELIVERY.NAME.eq(name), EXPORT_DELIVERY.STATUS.eq(DELIVERED)).fetchOne(0, Long.class);
    return max == null ? 0 : max;
  }

  /** @return the delivery of {@code name} begun and not confirmed yet, or null */
  public Delivery pending(String name) {
    Record r = dsl.selectFrom(EXPORT_DELIVERY)
        .where(EXPORT_DELIVERY.NAME.eq(name), EXPORT_DELIVERY.STATUS.eq(PENDING)).fetchOne();
    return r == null ? null : delivery(r);
  }

  /** Pins a new delivery's range (unique per name and afterSeq: a second begin of the same range fails). */
  public Delivery begin(String name, String format, long afterSeq, long throughSeq, String target) {
    dsl.insertInto(EXPORT_DELIVERY, EXPORT_DELIVERY.NAME, EXPORT_DELIVERY.FORMAT, EXPORT_DELIVERY.AFTER_SEQ,
            EXPORT_DELIVERY.THROUGH_SEQ, EXPORT_DELIVERY.STATUS, EXPORT_DELIVERY.TARGET, EXPORT_DELIVERY.STARTED_AT)
        .values(name, format, afterSeq, throughSeq, PENDING, target, now()).execute();
    return pending(name);
  }

  /** Records that the first {@code parts} messages of a pending SMTP delivery were accepted (250). */
  public void partsSent(long id, int parts) {
    dsl.update(EXPORT_DELIVERY).set(EXPORT_DELIVERY.PARTS_SENT, parts).where(EXPORT_DELIVERY.ID.eq(id)).execute();
  }

  /** Commits a delivery the target confirmed: the position of its name moves to its {@code through_seq}. */
  public void delivered(long id, long events, String sha256, String captureGaps) {
    dsl.update(EXPORT_DELIVERY).set(EXPORT_DELIVERY.STATUS, DELIVERED).set(EXPORT_DELIVERY.EVENTS, events)
        .set(EXPORT_DELIVERY.SHA256, sha256).set(EXPORT_DELIVERY.CAPTURE_GAPS, captureGaps)
        .set(EXPORT_DELIVERY.DELIVERED_AT, now()).set(EXPORT_DELIVERY.ATTEMPTS, EXPORT_DELIVERY.ATTEMPTS.plus(1))
        .setNull(EXPORT_DELIVERY.LAST_ERROR)
        .where(EXPORT_DELIVERY.ID.eq(id), EXPORT_DELIVERY.STATUS.eq(PENDING)).execute();
  }

  /** Counts a failed attempt of a pending delivery. */
  public void failed(long id, String error) {
    String cut = error == null ? "" : error.length() > 4000 ? error.substring(0, 4000) : error;
    dsl.update(EXPORT_DELIVERY).set(EXPORT_DELIVERY.ATTEMPTS, EXPORT_DELIVERY.ATTEMPTS.plus(1))
        .set(EXPORT_DELIVERY.LAST_ERROR, cut).where(EXPORT_DELIVERY.ID.eq(id)).execute();
  }

  /** @return every delivery, oldest first; of one name when {@code name} is not null */
  public List<Delivery> list(String name) {
    return dsl.selectFrom(EXPORT_DELIVERY)
        .where(name == null ? EXPORT_DELIVERY.ID.isNotNull() : EXPORT_DELIVERY.NAME.eq(name))
        .orderBy(EXPORT_DELIVERY.ID).fetch().map(DeliveryStore::delivery);
  }

  private static Delivery delivery(Record r) {
    return new Delivery(r.get(EXPORT_DELIVERY.ID), r.get(EXPORT_DELIVERY.NAME), r.get(EXPORT_DELIVERY.FORMAT),
        r.get(EXPORT_DELIVERY.AFTER_SEQ), r.get(EXPORT_DELIVERY.THROUGH_SEQ), r.get(EXPORT_DELIVERY.STATUS),
        r.get(EXPORT_DELIVERY.TARGET), r.get(EXPORT_DELIVERY.PARTS_SENT), r.get(EXPORT_DELIVERY.EVENTS),
        r.get(EXPORT_DELIVERY.SHA256), r.get(EXPORT_DELIVERY.CAPTURE_GAPS), r.get(EXPORT_DELIVERY.STARTED_AT),
        r.get(EXPORT_DELIVERY.DELIVERED_AT), r.get(EXPORT_DELIVERY.ATTEMPTS), r.get(EXPORT_DELIVERY.LAST_ERROR));
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
