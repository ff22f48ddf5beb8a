package io.datahose.archiver.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw TCP client for HTTP tests that a well-behaved client cannot make: over-long request lines, oversized or
 * dribbled headers, malformed requests, endless bodies. Blocking; one connection per instance.
 */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  /** @return a connection to 127.0.0.1:{@code port} whose reads give up after {@code readTimeout} */
  public static RawHttp connect(int port, Duration readTimeout) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout((int) readTimeout.toMillis());
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code text} as ISO-8859-1 bytes; @return false when the server has closed the connection */
  public boolean send(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** @return everything the server sends until it closes the connection or {@code readTimeout} passes */
  public String readAll() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // the server kept the connection open: the caller sees what was sent so far
    } catch (IOException e) {
      // reset by the server
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  /** @return true when the server closed the connection (end of stream or reset) within the read timeout */
  public boolean closedByServer() {
    try {
      byte[] buffer = new byte[8192];
      while (true) {
        if (in.read(buffer) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** @return the status code of a raw HTTP/1.1 answer, -1 when there is none */
  public static int status(String answer) {
    if (!answer.startsWith("HTTP/1.")) {
      return -1;
    }
    return Integer.parseInt(answer.substring(9, 12));
  }

  /** @return the body of a raw HTTP/1.1 answer (after the blank line) */
  public static String body(String answer) {
    int i = answer.indexOf("\r\n\r\n");
    return i < 0 ? "" : answer.substring(i + 4);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket
    }
  }
}
