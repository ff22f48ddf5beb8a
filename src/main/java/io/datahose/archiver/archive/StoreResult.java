package io.datahose.archiver.archive;

/**
 * Outcome of one committed {@link Archive#store} call.
 *
 * @param received   events handed in
 * @param stored     events newly written to the raw log (each got a seq)
 * @param duplicates events already archived (redeliveries) or repeated inside the batch: skipped
 * @param rawOnly    stored events whose projection failed or whose type is unknown (kept raw, with a reason)
 * @param firstSeq   seq of the first stored event, -1 when nothing was stored
 * @param lastSeq    seq of the last stored event, -1 when nothing was stored
 */
public record StoreResult(int received, int stored, int duplicates, int rawOnly, long firstSeq, long lastSeq) {
}
