package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.MessageRecord;

/**
 * What a batch knows of one message id: its row when the batch writes it whole (new, or taken over by an earlier
 * copy), else the few columns a later event can change (edit link, suppression). Confined to the storing thread.
 */
final class MessageState {

  final String messageId;
  /** The whole row when this batch inserts it or rewrites it; null for a row only loaded from the archive. */
  MessageRecord row;
  /** Version of the event whose copy owns the row: the earliest one. */
  Versions.Version owner;
  String replacedBy;
  boolean suppressed;
  /** The row exists in the archive (loaded by the prefetch). */
  final boolean inDatabase;
  /** An archived row is rewritten whole by an earlier copy. */
  boolean rewrite;
  /** An archived row's replaced_by or suppressed changed. */
  boolean flagsChanged;

  MessageState(String messageId, boolean inDatabase) {
    this.messageId = messageId;
    this.inDatabase = inDatabase;
  }

  MessageState copy() {
    MessageState c = new MessageState(messageId, inDatabase);
    if (row != null) {
      c.row = new MessageRecord();
      c.row.fromArray(row.intoArray());
    }
    c.owner = owner;
    c.replacedBy = replacedBy;
    c.suppressed = suppressed;
    c.rewrite = rewrite;
    c.flagsChanged = flagsChanged;
    return c;
  }
}
