package io.datahose.archiver.export;

import io.datahose.archiver.evidence.ArchiveKey;
import java.util.List;

/**
 * The files of a self-proving export bundle (see docs/api.md, "Proving the archive"): {@value #EVENTS} (the
 * {@code /export} lines), {@value #PROOFS} (one RFC 9162 inclusion proof per event, against the bundle's last tree
 * head), {@value #HEADS} (the archive's signed tree heads up to that one, oldest first), {@value #MANIFEST} (filter,
 * count, seq range, tree head, capture gaps in range, SHA-256 of every other file), {@value #SIGNATURE} (base64
 * Ed25519 signature of the manifest's bytes) and the public key {@link ArchiveKey#PUBLIC_KEY_FILE}.
 */
public final class Bundle {

  public static final String EVENTS = "events.jsonl";
  public static final String PROOFS = "proofs.jsonl";
  public static final String HEADS = "tree-heads.jsonl";
  public static final String MANIFEST = "manifest.json";
  public static final String SIGNATURE = "manifest.sig";
  public static final String FORMAT = "datahose-archiver bundle v1";
  /** The files the manifest lists with their SHA-256. */
  public static final List<String> COVERED = List.of(EVENTS, PROOFS, HEADS, ArchiveKey.PUBLIC_KEY_FILE);

  private Bundle() {
  }
}
