package io.datahose.archiver.api;

import io.datahose.archiver.capture.CaptureLedgerStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The officer web UI in a real browser: Debian's headless Chromium driven by Selenium against the real daemon
 * (the API verticle serving the page) filled through the real ingest path from the simulator (300 generated events,
 * the hand-made room story with an edit and a suppression, and three messages holding the word
 * {@value #WORD}). Explicit waits only. Every screen is saved under {@code target/ui-screenshots/}.
 */
@DisplayName("Officer web UI (headless Chromium)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfficerUiTest {

  static final String WORD = "quokkaflux";
  static final String GAP_ROOM = "ui-gap-room";
  static final Path SHOTS = Paths.get("target", "ui-screenshots");
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;
  static ApiHarness h;
  static ChromeDriver driver;
  static WebDriverWait wait;
  static Path downloads;

  @BeforeAll
  static void start() throws IOException {
    // a capture gap three days ago, and a room whose two messages fall either side of it
    Instant gapFrom = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant gapTo = gapFrom.plus(Duration.ofHours(6));
    List<JsonObject> extra = new ArrayList<>(RoomStory.events());
    for (int i = 1; i <= 3; i++) {
      extra.add(message("ui-word-" + i, i == 2 ? RoomStory.CAROL : RoomStory.BOB, RoomStory.ROOM, RoomStory.at(20 + i),
          "Note " + i + ": the " + WORD + " book is closed"));
    }
    extra.add(message("gap-before", RoomStory.BOB, GAP_ROOM, gapFrom.minus(Duration.ofHours(1)).toEpochMilli(), "before the gap"));
    extra.add(message("gap-after", RoomStory.CAROL, GAP_ROOM, gapTo.plus(Duration.ofHours(1)).toEpochMilli(), "after the gap"));
    h = ApiHarness.start(dir, 300, extra);
    CaptureLedgerStore ledger = new CaptureLedgerStore(h.daemon.database());
    // the archive has read since before the 30 days on screen (time before its first read is uncovered: a gap too)
    Instant firstRead = Instant.now().minus(Duration.ofDays(31)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    ledger.addReads(0, firstRead, firstRead, firstRead, 1, 0, 0, null);
    ledger.insertGap(gapFrom, gapTo, "test: agent down", gapFrom);
    downloads = Files.createDirectories(dir.resolve("downloads"));
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,800", "--lang=en-US", "--disable-search-engine-choice-screen", "--no-first-run");
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false, "safebrowsing.enabled", false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // the Debian driver next to the Debian browser: Selenium Manager never downloads anything
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 800));
    wait = new WebDriverWait(driver, WAIT);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (h != null) {
      h.close();
    }
  }

  @BeforeEach
  void freshTab() {
    driver.get(h.base() + "/#/signin");
    js("sessionStorage.clear()");
    driver.get("about:blank");
    driver.get(h.base() + "/#/signin");
    waitFor(By.id("token"));
    driver.manage().logs().get(LogType.BROWSER); // start each test with an empty console
  }

  @Test
  @Order(1)
  @DisplayName("The page carries a strict same-origin Content-Security-Policy and no inline script")
  void securityHeaders() throws Exception {
    HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.base() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
        .doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>|\\son[a-z]+=|style=");
    HttpResponse<String> js = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.base()
        + "/ui/app.js")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(js.body()).doesNotContain("http://", "https://").doesNotContain("innerHTML");
  }

  @Test
  @Order(2)
  @DisplayName("A wrong token shows an error and leaves nothing in sessionStorage")
  void wrongToken() {
    signIn("not-a-real-token");
    WebElement error = waitFor(By.cssSelector("#signin-error [role=alert]"));
    assertThat(error.getText()).contains("not valid");
    shot("signin-refused");
    assertThat(js("return sessionStorage.length")).isEqualTo(0L);
    // the one console error allowed: the browser reporting the refused request itself
    assertThat(consoleErrors()).allSatisfy(e -> assertThat(e).contains("/api/v1/session").contains("401"));
  }

  @Test
  @Order(3)
  @DisplayName("An officer signs in, finds exactly the three messages with a word, opens one in its conversation "
      + "(edit and suppression shown), picks members at a time, sees a capture gap drawn, reads the detail, exports, "
      + "reads the coverage, and signs out")
  void officerJourney() throws Exception {
    shot("signin");
    signIn(h.tokens.get("alice"));
    waitFor(By.id("search-q"));
    WebElement q = driver.findElement(By.id("search-q"));
    q.sendKeys(WORD, Keys.ENTER); // keyboard only
    wait.until(d -> d.findElements(By.cssSelector("#results .hit")).size() == 3);
    List<WebElement> hits = driver.findElements(By.cssSelector("#results .hit"));
    assertThat(hits).hasSize(3);
    assertThat(hits.stream().map(e -> e.getAttribute("data-message-id")).toList())
        .containsExactlyInAnyOrder("ui-word-1", "ui-word-2", "ui-word-3");
    assertThat(driver.findElements(By.cssSelector("#results mark"))).hasSize(3)
        .allSatisfy(m -> assertThat(m.getText()).isEqualToIgnoringCase(WORD));
    // names, not ids
    wait.until(d -> d.findElements(By.cssSelector("#results .sender")).stream().allMatch(e -> e.getText().startsWith("User ")));
    wait.until(d -> d.findElements(By.cssSelector("#results .room")).stream().allMatch(e -> e.getText().startsWith("Rates desk")));
    assertThat(driver.getCurrentUrl()).endsWith("#/search?q=" + WORD);
    noHorizontalScroll();
    shot("search");

    driver.navigate().refresh(); // the deep link survives a reload (the token is still in this tab)
    wait.until(d -> d.findElements(By.cssSelector("#results .hit")).size() == 3);
    assertThat(driver.findElement(By.id("search-q")).getAttribute("value")).isEqualTo(WORD);

    driver.manage().window().setSize(new Dimension(1440, 900)); // a 13" laptop
    noHorizontalScroll();
    shot("search-1440x900");
    driver.manage().window().setSize(new Dimension(1280, 800));

    driver.findElement(By.cssSelector("#results .hit[data-message-id='ui-word-2'] a.open-conversation")).click();
    WebElement target = waitFor(By.cssSelector("#transcript .line.target[data-message-id='ui-word-2']"));
    assertThat(target.getText()).contains(WORD);
    // the story's edit, its superseded original and the suppressed message, in order with the system lines
    WebElement edit = driver.findElement(By.cssSelector("#transcript [data-message-id='story-m2e']"));
    assertThat(edit.getText()).contains("Edited wording", "EDIT (NEW VERSION)");
    assertThat(driver.findElement(By.cssSelector("#transcript [data-message-id='story-m2']")).getText())
        .contains("Original wording", "SUPERSEDED BY AN EDIT");
    WebElement suppressed = driver.findElement(By.cssSelector("#transcript .line.suppressed[data-message-id='story-m3']"));
    assertThat(suppressed.getText()).contains("SUPPRESSED");
    List<String> kinds = driver.findElements(By.cssSelector("#transcript .line")).stream()
        .map(e -> e.getAttribute("data-kind")).toList();
    assertThat(kinds).containsSubsequence("created", "joined", "joined", "promoted", "message", "renamed", "demoted",
        "left", "deactivated", "reactivated", "message");
    wait.until(d -> d.findElement(By.cssSelector("#transcript [data-kind='renamed']")).getText().contains("User 501"));

    // members at T: after the promotion, before Carol (503) left
    setDateTime(driver.findElement(By.id("members-at")), Instant.ofEpochMilli(RoomStory.at(5)).toString());
    driver.findElement(By.id("members-show")).click();
    wait.until(d -> d.findElements(By.cssSelector("#members-list li")).size() == 3);
    wait.until(d -> d.findElement(By.id("members-list")).getText().contains("User 502 (owner)"));
    assertThat(driver.findElement(By.id("members-list")).getText()).contains("User 501", "User 503");
    shot("conversation");
    setDateTime(driver.findElement(By.id("members-at")), Instant.ofEpochMilli(RoomStory.at(12)).toString());
    driver.findElement(By.id("members-show")).click();
    wait.until(d -> d.findElements(By.cssSelector("#members-list li")).size() == 2);
    assertThat(driver.findElement(By.id("members-list")).getText()).doesNotContain("User 503");

    // a capture gap is drawn where it falls in a conversation
    driver.get(h.base() + "/#/conversation?stream=" + GAP_ROOM);
    waitFor(By.cssSelector("#transcript [data-message-id='gap-after']"));
    assertThat(driver.findElements(By.cssSelector("#transcript .line")).stream().map(e -> e.getAttribute("data-kind"))
        .toList()).containsExactly("message", "gap", "message");
    assertThat(driver.findElement(By.cssSelector("#transcript .line.gap")).getText()).contains("Capture gap", "agent down");
    shot("conversation-gap");
    driver.navigate().back();
    waitFor(By.cssSelector("#transcript [data-message-id='story-m2e']"));

    driver.findElement(By.cssSelector("#transcript [data-message-id='story-m2e'] a")).click();
    WebElement raw = waitFor(By.cssSelector(".raw-event .raw-sha"));
    JsonObject detail = h.get("alice", "/api/v1/messages/story-m2e").json();
    assertThat(raw.getText()).isEqualTo(detail.getJsonArray("rawEvents").getJsonObject(0).getString("rawSha256"));
    assertThat(driver.findElements(By.cssSelector("table tbody tr")).size()).isGreaterThanOrEqualTo(2); // 2 versions
    shot("message-detail");

    // export of the current filter (the room): the saved file is byte for byte what the API exports
    driver.get(h.base() + "/#/search?room=" + RoomStory.ROOM);
    waitFor(By.cssSelector("#results .hit"));
    driver.findElement(By.id("export-run")).click();
    WebElement done = waitFor(By.id("export-summary"));
    byte[] expected = h.get("alice", "/api/v1/export?stream=" + RoomStory.ROOM).body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long events = RoomStory.events().size() + 3;
    assertThat(done.getText()).contains("Events\n" + events);
    Path saved = downloads.resolve("datahose-export.jsonl");
    wait.until(d -> Files.exists(saved) && sizeOf(saved) == expected.length);
    assertThat(Files.readAllBytes(saved)).isEqualTo(expected);
    shot("export");

    driver.findElement(By.id("nav-coverage")).click();
    WebElement summary = waitFor(By.id("coverage-summary"));
    assertThat(summary.getText()).contains("% covered");
    waitFor(By.cssSelector("#feed-state table"));
    assertThat(driver.findElements(By.cssSelector("#coverage-timeline rect.covered"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("#coverage-timeline rect.gap"))).hasSize(1);
    assertThat(summary.getText()).contains("1 gap(s)", "21600 s of gaps");
    shot("coverage");

    assertThat(consoleErrors()).isEmpty();
    driver.findElement(By.id("signout")).click();
    waitFor(By.id("signin-notice"));
    assertThat(js("return sessionStorage.getItem('datahose.token')")).isNull();
    assertThat(js("return sessionStorage.length")).isEqualTo(0L);
    driver.navigate().refresh();
    waitFor(By.id("token"));
    assertThat(driver.findElements(By.id("results"))).isEmpty();
  }

  @Test
  @Order(4)
  @DisplayName("An officer sees no admin or auditor screens, and typing their address shows 'Not available'")
  void officerSeesNoAdminScreens() {
    signIn(h.tokens.get("alice"));
    waitFor(By.id("search-q"));
    List<String> nav = driver.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    assertThat(nav).containsExactly("Search", "Capture coverage");
    driver.get(h.base() + "/#/admin/officers");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Not available"));
    assertThat(driver.findElements(By.id("officer-add"))).isEmpty();
    driver.get(h.base() + "/#/access-log");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Not available"));
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  @Order(5)
  @DisplayName("An auditor reads the access log, filtered by officer, and sees the officer's searches in it")
  void auditorReadsTheAccessLog() {
    signIn(h.tokens.get("audrey"));
    waitFor(By.id("log-officer"));
    assertThat(driver.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList())
        .containsExactly("Access log");
    driver.findElement(By.id("log-officer")).sendKeys("alice", Keys.ENTER);
    wait.until(d -> d.getCurrentUrl().endsWith("#/access-log?officer=alice"));
    wait.until(d -> d.findElement(By.id("access-log")).getText().contains(WORD));
    List<WebElement> officers = driver.findElements(By.cssSelector("#access-log tbody td:nth-child(2)"));
    assertThat(officers).isNotEmpty().allSatisfy(td -> assertThat(td.getText()).isEqualTo("alice"));
    shot("access-log");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  @Order(6)
  @DisplayName("An admin adds an officer (token shown once, and it signs in), revokes them, and runs a verified backup")
  void adminManagesOfficersAndBackups() {
    signIn(h.tokens.get("adam"));
    waitFor(By.id("officer-name")).sendKeys("uma");
    driver.findElement(By.id("officer-add")).click();
    String token = waitFor(By.id("issued-token")).getText();
    assertThat(token).isNotBlank();
    assertThat(h.get(token, "/api/v1/session").json().getString("name")).isEqualTo("uma");
    shot("admin-officers");
    WebElement revoke = driver.findElement(By.cssSelector("button[data-revoke='uma']"));
    revoke.click();
    wait.until(ExpectedConditions.textToBePresentInElement(revoke, "Confirm"));
    revoke.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("officer-issued"), "Revoked"));
    assertThat(h.get(token, "/api/v1/session").status()).isEqualTo(401);
    driver.findElement(By.id("nav-admin-backups")).click();
    waitFor(By.id("backup-run")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("backup-result"), "verified"));
    shot("admin-backups");
    assertThat(consoleErrors()).isEmpty();
  }

  /** A MESSAGESENT event as the simulator's feed carries it (the shape of {@link RoomStory}'s messages). */
  private static JsonObject message(String id, long sender, String room, long at, String text) {
    JsonObject user = new JsonObject().put("userId", sender).put("displayName", "User " + sender)
        .put("email", "u" + sender + "@bank.example").put("username", "u" + sender);
    JsonObject stream = new JsonObject().put("streamId", room).put("streamType", "ROOM")
        .put("members", new io.vertx.core.json.JsonArray());
    JsonObject message = new JsonObject().put("messageId", id).put("timestamp", at)
        .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\"><p>" + text + "</p></div>")
        .put("data", "{}").put("user", user).put("stream", stream);
    return new JsonObject().put("id", "ui-event-" + id).put("messageId", id).put("type", "MESSAGESENT")
        .put("timestamp", at).put("initiator", new JsonObject().put("user", user))
        .put("payload", new JsonObject().put("messageSent", new JsonObject().put("message", message)));
  }

  private static void signIn(String token) {
    WebElement field = waitFor(By.id("token"));
    field.clear();
    field.sendKeys(token, Keys.ENTER);
  }

  private static WebElement waitFor(By by) {
    try {
      return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no " + by + " on " + driver.getCurrentUrl() + "; console: " + consoleErrors()
          + "; page: " + js("return document.getElementById('main').innerText"), e);
    }
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** Sets a datetime-local input (UTC) the way the browser's own widget would. */
  private static void setDateTime(WebElement input, String iso) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]", input, iso.substring(0, 19));
  }

  private static void noHorizontalScroll() {
    Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).longValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
  }

  private static List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private static void shot(String name) {
    try {
      File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("screenshot " + name, e);
    }
  }
}
