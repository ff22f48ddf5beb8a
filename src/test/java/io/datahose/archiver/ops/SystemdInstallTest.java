package io.datahose.archiver.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The systemd unit and the install/uninstall scripts in {@code systemd/}.
 *
 * <p>Needs {@code systemd-analyze} (Debian package {@code systemd}) and bash; never needs root: the scripts run
 * with {@code DESTDIR} set, which skips user creation, chown and systemctl.
 */
@DisplayName("systemd unit and install scripts")
class SystemdInstallTest {

    private static final String NAME = "datahose-archiver";
    private static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    private static final Path SYSTEMD = REPO.resolve("systemd");
    private static final Path UNIT = SYSTEMD.resolve(NAME + ".service");
    private static final Path SHIPPED_CONFIG = REPO.resolve("config").resolve(NAME + ".yaml");
    private static final long TIMEOUT_SECONDS = 60;

    // --- (a) systemd-analyze verify -------------------------------------------------------------------------

    @Test
    @DisplayName("The unit passes systemd-analyze verify without a single warning")
    void unitVerifies(@TempDir Path tmp) throws Exception {
        Verification v = verify(UNIT, tmp);
        assertThat(v.problems())
                .as("systemd-analyze verify %s must pass cleanly (exit %d), output:%n%s", UNIT, v.exit(), v.output())
                .isEmpty();
        assertThat(v.exit()).as("exit code of systemd-analyze verify, output:%n%s", v.output()).isZero();
    }

    static Stream<Arguments> brokenUnits() {
        return Stream.of(
                Arguments.of("an unknown directive in [Service]",
                        (UnaryOperator<String>) u -> u.replace("[Service]\n", "[Service]\nFrobnicateTheArchive=yes\n")),
                Arguments.of("an invalid value of a known directive",
                        (UnaryOperator<String>) u -> u.replace("ProtectSystem=strict", "ProtectSystem=sometimes")),
                Arguments.of("an ExecStart binary that does not exist",
                        (UnaryOperator<String>) u -> u.replace("ExecStart=/usr/bin/java ", "ExecStart=/usr/bin/no-such-java ")));
    }

    @ParameterizedTest(name = "A copy of the unit with {0} fails verification")
    @MethodSource("brokenUnits")
    @DisplayName("Verification really catches unit errors")
    void brokenUnitFailsVerification(String what, UnaryOperator<String> breakIt, @TempDir Path tmp) throws Exception {
        String good = Files.readString(UNIT);
        String broken = breakIt.apply(good);
        assertThat(broken).as("the test's edit must change the unit").isNotEqualTo(good);
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        Path copy = dir.resolve(NAME + ".service"); // same name: verify derives the unit name from the file name
        Files.writeString(copy, broken);

        Verification v = verify(copy, tmp);
        assertThat(v.problems())
                .as("a unit with %s must be reported (exit %d), output:%n%s", what, v.exit(), v.output())
                .isNotEmpty();
    }

    /**
     * Runs {@code systemd-analyze verify}. systemd 252 exits 0 for unknown directives and unparsable values (it
     * only logs "..., ignoring"), so the exit code alone proves nothing: every output line is a problem, except
     * lines about OTHER unit files of the host (e.g. a warning in some /lib/systemd/system/x.service pulled in as a
     * dependency), which are environment noise and say nothing about this unit.
     */
    private static Verification verify(Path unit, Path workDir) throws Exception {
        Path analyze = systemdAnalyze();
        Run run = run(List.of(analyze.toString(), "verify", "--man=no", unit.toString()), workDir, Map.of());
        List<String> problems = new ArrayList<>();
        for (String line : run.text().split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) continue;
            boolean otherHostUnit = l.matches("^/(usr/)?lib/systemd/\\S+:.*|^/etc/systemd/\\S+:.*")
                    && !l.contains(NAME);
            if (!otherHostUnit) problems.add(l);
        }
        if (run.exit() != 0 && problems.isEmpty()) problems.add("exit code " + run.exit());
        return new Verification(run.exit(), run.output(), problems);
    }

    private static Path systemdAnalyze() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "systemd-analyze");
            if (Files.isExecutable(p)) return p;
        }
        return fail("systemd-analyze not found on PATH or in /usr/bin: this test verifies the unit with it. "
                + "Install the Debian package 'systemd' (apt-get install -y systemd).");
    }

    // --- (b) required directives ----------------------------------------------------------------------------

    @Test
    @DisplayName("The unit runs the jar as its own user with every required stop, restart and hardening setting")
    void unitHasRequiredDirectives() throws IOException {
        List<String> lines = directives(UNIT);
        assertThat(lines).as("directives of %s", UNIT).contains(
                "Type=simple",
                "ExecStart=/usr/bin/java -jar /opt/datahose-archiver/datahose-archiver.jar run --config "
                        + "/etc/datahose-archiver/datahose-archiver.yaml",
                "User=datahose-archiver",
                "Group=datahose-archiver",
                "StateDirectory=datahose-archiver",
                "ConfigurationDirectory=datahose-archiver",
                "EnvironmentFile=-/etc/default/datahose-archiver",
                "After=network-online.target",
                "Wants=network-online.target",
                "Restart=on-failure",
                "RestartSec=5",
                "SuccessExitStatus=143",
                "TimeoutStopSec=90",
                "KillSignal=SIGTERM",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ProtectHome=yes",
                "PrivateTmp=yes",
                "PrivateDevices=yes",
                "ReadWritePaths=/var/lib/datahose-archiver",
                "CapabilityBoundingSet=",
                "AmbientCapabilities=",
                "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes",
                "ProtectKernelLogs=yes",
                "ProtectControlGroups=yes",
                "ProtectClock=yes",
                "ProtectHostname=yes",
                "RestrictNamespaces=yes",
                "RestrictRealtime=yes",
                "RestrictSUIDSGID=yes",
                "LockPersonality=yes",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                "SystemCallArchitectures=native",
                "UMask=0077");
        assertThat(lines).as("issue 17: system calls, /proc, users, mounts and IPC restricted too").contains(
                "SystemCallFilter=@system-service",
                "SystemCallFilter=~@privileged @resources @mount @swap @reboot @raw-io @module @debug @cpu-emulation "
                        + "@obsolete @clock",
                "SystemCallErrorNumber=EPERM",
                "ProtectProc=invisible",
                "ProcSubset=pid",
                "PrivateUsers=yes",
                "PrivateMounts=yes",
                "RemoveIPC=yes",
                "DeviceAllow=");
        assertThat(lines.stream().filter(l -> l.startsWith("ReadWritePaths=")))
                .as("the state directory is the only writable path").containsExactly("ReadWritePaths=/var/lib/datahose-archiver");
        assertThat(lines).as("MemoryDenyWriteExecute breaks the JVM's JIT")
                .noneMatch(l -> l.startsWith("MemoryDenyWriteExecute="));
    }

    @Test
    @DisplayName("systemd-analyze security --offline rates the unit's exposure at 2.0 or less")
    void exposure(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        Run run = run(List.of(systemdAnalyze().toString(), "security", "--offline=true", "--no-pager", UNIT.toString()),
                work, Map.of());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)")
                .matcher(run.text());
        assertThat(m.find()).as("no exposure level in:%n%s", run.text()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("exposure; output:%n%s", run.text()).isLessThanOrEqualTo(2.0);
    }

    private static List<String> directives(Path unit) throws IOException {
        return Files.readAllLines(unit).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith(";") && !l.startsWith("["))
                .toList();
    }

    // --- (c) install.sh / uninstall.sh into a DESTDIR -------------------------------------------------------

    @Test
    @DisplayName("install.sh installs into DESTDIR with the right modes, an upgrade keeps an edited config, uninstall.sh keeps config and archive")
    void installUpgradeUninstall(@TempDir Path tmp) throws Exception {
        Path repo = stagingRepo(tmp.resolve("repo"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path jarV1 = Files.writeString(tmp.resolve("v1.jar"), "dummy jar v1");
        Path jarV2 = Files.writeString(tmp.resolve("v2.jar"), "dummy jar v2");
        Map<String, String> env = Map.of("DESTDIR", root.toString());

        Path jar = root.resolve("opt/datahose-archiver/datahose-archiver.jar");
        Path unit = root.resolve("etc/systemd/system/datahose-archiver.service");
        Path confDir = root.resolve("etc/datahose-archiver");
        Path config = confDir.resolve("datahose-archiver.yaml");
        Path dist = confDir.resolve("datahose-archiver.yaml.dist");
        Path state = root.resolve("var/lib/datahose-archiver");
        String shippedConfig = Files.readString(repo.resolve("config/datahose-archiver.yaml"));

        // first install
        Run first = script(repo, "install.sh", env, tmp, jarV1.toString());
        assertThat(first.exit()).as("install.sh exit code, output:%n%s", first.output()).isZero();
        assertThat(first.output()).as("install.sh output").contains("skipping user creation");
        assertThat(jar).as(first.output()).hasContent("dummy jar v1");
        assertThat(unit).as(first.output()).hasSameTextualContentAs(UNIT);
        assertThat(Files.readString(config)).as(first.output()).isEqualTo(shippedConfig)
                .containsPattern("(?m)^\\s+path:\\s*\"?/var/lib/datahose-archiver/archive\"?");
        assertThat(dist).as("no .dist on a fresh install, output:%n%s", first.output()).doesNotExist();
        assertMode(jar, "rw-r--r--");
        assertMode(unit, "rw-r--r--");
        assertMode(confDir, "rwxr-x---");
        assertMode(config, "rw-r-----");
        assertMode(state, "rwxr-x---");

        // the admin edits the config, drops keys, the daemon writes its archive
        String edited = shippedConfig + "\n# edited by the admin\n";
        Files.writeString(config, edited);
        Path pem = Files.writeString(confDir.resolve("bot-key.pem"), "key");
        Path p12 = Files.writeString(confDir.resolve("bot.p12"), "store");
        Path notes = Files.writeString(confDir.resolve("notes.txt"), "not a key");
        for (Path p : List.of(pem, p12, notes)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        Path archive = Files.writeString(state.resolve("archive.mv.db"), "archived events");

        // upgrade: second run with a new jar
        Run second = script(repo, "install.sh", env, tmp, jarV2.toString());
        assertThat(second.exit()).as("second install.sh exit code, output:%n%s", second.output()).isZero();
        assertThat(second.output()).as("install.sh output").contains("kept existing " + config);
        assertThat(config).as("edited config must be kept, output:%n%s", second.output()).hasContent(edited);
        assertThat(dist).as(second.output()).hasContent(shippedConfig);
        assertMode(dist, "rw-r-----");
        assertThat(jar).as("the jar is replaced, output:%n%s", second.output()).hasContent("dummy jar v2");
        assertThat(archive).as("the archive is untouched").hasContent("archived events");
        assertMode(pem, "rw-------");
        assertMode(p12, "rw-------");
        assertMode(notes, "rw-r--r--");
        assertMode(state, "rwxr-x---");

        // uninstall keeps config, keys and archive
        Run uninstall = script(repo, "uninstall.sh", env, tmp);
        assertThat(uninstall.exit()).as("uninstall.sh exit code, output:%n%s", uninstall.output()).isZero();
        assertThat(jar).as(uninstall.output()).doesNotExist();
        assertThat(unit).as(uninstall.output()).doesNotExist();
        assertThat(config).as(uninstall.output()).hasContent(edited);
        assertThat(pem).as(uninstall.output()).exists();
        assertThat(archive).as(uninstall.output()).hasContent("archived events");
        assertThat(uninstall.output()).contains("kept " + confDir).contains(state.toString());

        // --purge deletes them
        Run purge = script(repo, "uninstall.sh", env, tmp, "--purge");
        assertThat(purge.exit()).as("uninstall.sh --purge exit code, output:%n%s", purge.output()).isZero();
        assertThat(confDir).as(purge.output()).doesNotExist();
        assertThat(state).as(purge.output()).doesNotExist();
    }

    @Test
    @DisplayName("install.sh refuses a missing jar with a clear message and installs nothing")
    void installRejectsMissingJar(@TempDir Path tmp) throws Exception {
        Path repo = stagingRepo(tmp.resolve("repo"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        Run run = script(repo, "install.sh", Map.of("DESTDIR", root.toString()), tmp, tmp.resolve("nope.jar").toString());
        assertThat(run.exit()).as("exit code, output:%n%s", run.output()).isNotZero();
        assertThat(run.output()).contains("jar not found");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files).as("nothing installed, output:%n%s", run.output()).isEmpty();
        }
    }

    /**
     * A copy of the repository layout the scripts rely on (the repo root is the scripts' parent directory), so the
     * test never writes into the working tree. The config is the repository's shipped config/datahose-archiver.yaml;
     * where that file is not present on this branch yet, a minimal stand-in with the default database.path is used.
     */
    private static Path stagingRepo(Path repo) throws IOException {
        Files.createDirectories(repo.resolve("systemd"));
        Files.createDirectories(repo.resolve("config"));
        for (String f : List.of("install.sh", "uninstall.sh", NAME + ".service")) {
            Files.copy(SYSTEMD.resolve(f), repo.resolve("systemd").resolve(f));
        }
        Path config = repo.resolve("config").resolve(NAME + ".yaml");
        if (Files.exists(SHIPPED_CONFIG)) {
            Files.copy(SHIPPED_CONFIG, config);
        } else {
            Files.writeString(config, "database:\n  path: \"/var/lib/datahose-archiver/archive\"\n");
        }
        return repo;
    }

    private static void assertMode(Path p, String expected) throws IOException {
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(p);
        assertThat(PosixFilePermissions.toString(actual)).as("mode of %s", p).isEqualTo(expected);
    }

    // --- processes ------------------------------------------------------------------------------------------

    private static Run script(Path repo, String script, Map<String, String> env, Path workDir, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("systemd").resolve(script).toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, workDir, env);
    }

    private static Run run(List<String> cmd, Path workDir, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(workDir, "out", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("DESTDIR");
        pb.environment().remove("SKIP_USER");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out after %d s: %s%noutput:%n%s", TIMEOUT_SECONDS, cmd, Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        return new Run(p.exitValue(), String.join(" ", cmd), output);
    }

    /** {@code text}: what the process printed; {@code output()}: the command line and that, for messages. */
    private record Run(int exit, String command, String text) {
        String output() {
            return "$ " + command + "\n" + text;
        }
    }

    private record Verification(int exit, String output, List<String> problems) {}
}
