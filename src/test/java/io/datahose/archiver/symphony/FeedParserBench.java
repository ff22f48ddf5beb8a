package io.datahose.archiver.symphony;

import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Micro benchmark of {@link FeedParser} (not a test, not asserted): generated events, those smaller than
 * {@code --event-bytes} (default 1,700) padded to about that size (the generator's mix averages ~2.4 KB), in bodies of {@code --batch} (default 100), parsed for {@code --seconds}
 * (default 10) after a warm-up; prints events/s and MB/s by wall clock and per CPU second of the parsing thread (the
 * figure that holds on a shared machine), and the same for Vert.x's plain decoder for scale
 * ({@code --vertx 0} skips it).
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *     io.datahose.archiver.symphony.FeedParserBench [--event-bytes 1700] [--batch 100] [--seconds 10] [--vertx 0]</pre>
 */
public final class FeedParserBench {

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private FeedParserBench() {
  }

  public static void main(String[] args) {
    int eventBytes = option(args, "--event-bytes", 1700);
    int batch = option(args, "--batch", 100);
    int seconds = option(args, "--seconds", 10);
    List<byte[]> bodies = bodies(eventBytes, batch, 50);
    long bytes = bodies.stream().mapToLong(b -> b.length).sum();
    System.out.printf("%d bodies of %d events, %.0f bytes per event%n", bodies.size(), batch,
        (double) bytes / bodies.size() / batch);
    run("FeedParser.parse", bodies, batch, Math.max(1, seconds / 3), true);
    double perSecond = run("FeedParser.parse", bodies, batch, seconds, false);
    if (option(args, "--vertx", 1) == 1) {
      run("Vert.x new JsonObject(Buffer), for scale", bodies, batch, seconds, false, true);
    }
    System.out.printf("FeedParser: %.0f events per CPU second%n", perSecond);
  }

  private static double run(String name, List<byte[]> bodies, int batch, int seconds, boolean warmUp) {
    return run(name, bodies, batch, seconds, warmUp, false);
  }

  private static double run(String name, List<byte[]> bodies, int batch, int seconds, boolean warmUp,
                            boolean vertx) {
    long events = 0;
    long bytes = 0;
    long sink = 0;
    long cpuStart = CPU.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    for (int i = 0; System.nanoTime() < end; i = (i + 1) % bodies.size()) {
      byte[] body = bodies.get(i);
      if (vertx) {
        sink += new JsonObject(io.vertx.core.buffer.Buffer.buffer(body)).getJsonArray("events").size();
      } else {
        sink += FeedParser.parse(body).events().get(0).identity().charAt(0);
      }
      events += batch;
      bytes += body.length;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpu = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    if (!warmUp) {
      System.out.printf("%-50s %,9.0f events/s %6.1f MB/s wall; %,9.0f events/s %6.1f MB/s per CPU second (%d)%n",
          name, events / elapsed, bytes / elapsed / 1e6, events / cpu, bytes / cpu / 1e6, sink % 10);
    }
    return events / cpu;
  }

  private static List<byte[]> bodies(int eventBytes, int batch, int count) {
    EventGenerator generator = new EventGenerator(42);
    List<byte[]> bodies = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      JsonArray events = new JsonArray();
      for (JsonObject event : generator.next(batch)) {
        int missing = eventBytes - event.encode().getBytes(StandardCharsets.UTF_8).length - 14;
        if (missing > 0) {
          String text = "Lorem ipsum dolor sit amet, café ".repeat(missing / 30 + 1);
          event.put("padding", text.substring(0, missing));
        }
        events.add(event);
      }
      bodies.add(new JsonObject().put("events", events).put("ackId", "ack-" + b).encode()
          .getBytes(StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
