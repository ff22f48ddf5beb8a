package io.datahose.archiver.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;

/**
 * A blocking output stream onto a chunked HTTP response, for an export written on a worker thread: bytes are
 * collected into chunks of {@value #CHUNK} bytes and each chunk is written only after the previous one was handed to
 * the connection, so a slow client holds back the writer instead of filling the heap. Fails with an
 * {@link IOException} once the client has gone. One writer thread; never call on an event loop.
 */
final class ResponseOutput extends OutputStream {

  static final int CHUNK = 64 * 1024;

  private final HttpServerResponse response;
  private Buffer chunk = Buffer.buffer(CHUNK);

  ResponseOutput(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public void write(int b) throws IOException {
    chunk.appendByte((byte) b);
    if (chunk.length() >= CHUNK) {
      send();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    chunk.appendBytes(b, off, len);
    if (chunk.length() >= CHUNK) {
      send();
    }
  }

  @Override
  public void flush() throws IOException {
    if (chunk.length() > 0) {
      send();
    }
  }

  private void send() throws IOException {
    if (response.closed()) {
      throw new IOException("the client closed the connection");
    }
    Buffer full = chunk;
    chunk = Buffer.buffer(CHUNK);
    try {
      response.write(full).toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("export interrupted");
    } catch (ExecutionException e) {
      throw new IOException("writing the export failed: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
