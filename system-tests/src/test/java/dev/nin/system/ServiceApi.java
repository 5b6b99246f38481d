package dev.nin.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** JSON calls to the packaged services, mutations with the API token, each status asserted. */
final class ServiceApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String token;

  ServiceApi(String token) {
    this.token = token;
  }

  /** GET, answered 200. */
  JsonNode get(String url) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** POST of a JSON body, answered 200 or 201. */
  JsonNode post(String url, String body) throws Exception {
    return send("POST", url, body, 201);
  }

  /** Any method with an optional JSON body, answered 200 to 204 (a null node for no body). */
  JsonNode send(String method, String url, String body) throws Exception {
    return send(method, url, body, 204);
  }

  private JsonNode send(String method, String url, String body, int highestOk) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + url + ": " + response.body())
        .isBetween(200, highestOk);
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }
}
