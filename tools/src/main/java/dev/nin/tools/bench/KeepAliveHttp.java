package dev.nin.tools.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection that POSTs prepared JSON bodies and reads the answers: the
 * load generator's REST client. The JDK's HttpClient spends ~0.2 ms of CPU a request, which on two
 * cores shared with the service would be measured as the service's slowness (wrk and hey exist for
 * the same reason). Not thread-safe: one a load thread.
 */
final class KeepAliveHttp implements AutoCloseable {

  private final String host;
  private final int port;
  private final String path;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  KeepAliveHttp(String host, int port, String path) {
    this.host = host;
    this.port = port;
    this.path = path;
  }

  /** POSTs {@code body}; returns the response body, or throws unless the status is 200. */
  byte[] post(byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }
    try {
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + host
              + ":"
              + port
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private byte[] readResponse() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      }
    }
    byte[] body = chunked ? chunks() : in.readNBytes(Math.max(0, length));
    if (code != 200) {
      throw new IOException("HTTP " + code + ": " + new String(body, StandardCharsets.UTF_8));
    }
    return body;
  }

  private byte[] chunks() throws IOException {
    var body = new java.io.ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().trim(), 16);
        size > 0;
        size = Integer.parseInt(line().trim(), 16)) {
      body.write(in.readNBytes(size));
      line();
    }
    line();
    return body.toByteArray();
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed by the service");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
      socket = null;
    }
  }
}
