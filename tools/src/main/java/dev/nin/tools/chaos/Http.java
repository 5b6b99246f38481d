package dev.nin.tools.chaos;

import dev.nin.tools.chaos.BadInput.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The catalogue's HTTP requests: status plus whether the body is problem JSON. */
final class Http {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  Outcome send(String method, String url, String contentType, byte[] body, String token)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            // as curl does for large bodies: ask first, so that a refusal (413) arrives before
            // the body is written, instead of racing the server's close of the connection
            .expectContinue(body != null && body.length > (1 << 20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    var response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String type = response.headers().firstValue("Content-Type").orElse("");
    String observed =
        response.statusCode()
            + (type.startsWith("application/problem+json") ? " problem+json" : " " + type);
    return new Outcome(observed, response.statusCode() >= 500);
  }

  Outcome json(String method, String url, String json, String token) throws Exception {
    return send(method, url, "application/json", json == null ? null : json.getBytes(), token);
  }
}
