package dev.nin.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's client against a real HTTP server: one connection, many requests. */
class KeepAliveHttpTest {

  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/predict",
        exchange -> {
          byte[] request = exchange.getRequestBody().readAllBytes();
          boolean chunked = exchange.getRequestURI().getQuery().contains("chunked");
          int status = new String(request, StandardCharsets.UTF_8).contains("bad") ? 400 : 200;
          byte[] answer = ("echo:" + request.length).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, chunked ? 0 : answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void readsFixedLengthAndChunkedAnswersOnOneConnection() throws Exception {
    int port = server.getAddress().getPort();
    try (var fixed = new KeepAliveHttp("127.0.0.1", port, "/api/predict?topK=5");
        var chunked = new KeepAliveHttp("127.0.0.1", port, "/api/predict?chunked")) {
      for (int i = 0; i < 20; i++) {
        assertThat(new String(fixed.post(new byte[i]), StandardCharsets.UTF_8))
            .isEqualTo("echo:" + i);
        assertThat(new String(chunked.post(new byte[100]), StandardCharsets.UTF_8))
            .isEqualTo("echo:100");
      }
    }
  }

  @Test
  void aNon200AnswerIsAFailureWithItsBody() {
    int port = server.getAddress().getPort();
    try (var http = new KeepAliveHttp("127.0.0.1", port, "/api/predict?topK=5")) {
      assertThatThrownBy(() -> http.post("bad".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(IOException.class)
          .hasMessage("HTTP 400: echo:3");
    }
  }
}
