package io.datahose.archiver.query;

import java.time.OffsetDateTime;

/**
 * The filters of {@code GET /messages}, all optional and combined with AND: sender, participant (member of the
 * stream when the message was sent, or its sender), stream, sent time [from, to), external recipients, has
 * attachments, full-text query; plus the keyset cursor and page size.
 */
public record MessageFilter(Long user, Long participant, String stream, OffsetDateTime from, OffsetDateTime to,
                            Boolean external, Boolean hasAttachments, String q, String cursor, int limit) {
}
