package io.datahose.archiver.cli;

import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.export.BundleVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * {@code verify-export DIR|ZIP [--public-key PEM]}: checks an export bundle with no archive and no configuration
 * ({@link BundleVerifier}). Prints a one-line verdict; exit 0 when every byte, proof and signature checks, 1 otherwise.
 */
@Command(name = "verify-export", description = "Check an export bundle offline (no archive, no configuration).")
final class VerifyExportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR|ZIP", description = "the bundle directory or ZIP file")
  Path bundle;

  @Option(names = "--public-key", description = "the archive's public key (PEM) to trust; default: the bundle's own")
  Path publicKey;

  @Override
  public Integer call() {
    try {
      PublicKey key = publicKey == null ? null
          : ArchiveKey.readPublicKey(Files.readString(publicKey, StandardCharsets.US_ASCII));
      BundleVerifier.Result r = BundleVerifier.verify(bundle, key);
      System.out.println("verify-export: " + r.verdict());
      if (r.ok() && publicKey == null) {
        System.out.println("verify-export: checked with the bundle's own key: compare its fingerprint "
            + r.keyFingerprint() + " with the one the archive's owner published");
      }
      return r.ok() ? 0 : 1;
    } catch (Exception e) {
      System.out.println("verify-export: FAILED: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
