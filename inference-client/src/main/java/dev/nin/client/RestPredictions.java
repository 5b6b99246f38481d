package dev.nin.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.contracts.FashionMnist;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code POST /api/predict} with JSON pixels, from plain Java. Thread-safe. */
public final class RestPredictions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI predict;

  public RestPredictions(String baseUrl) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.predict = URI.create(baseUrl.replaceAll("/+$", "") + "/api/predict");
  }

  /** The JSON body for {@code count} images starting at image {@code first} of {@code pixels}. */
  public static String body(byte[] pixels, int first, int count) {
    StringBuilder json = new StringBuilder(count * FashionMnist.PIXELS * 4 + 32);
    json.append(count == 1 ? "{\"pixels\":" : "{\"instances\":[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "[" : ",[");
      int offset = (first + i) * FashionMnist.PIXELS;
      for (int p = 0; p < FashionMnist.PIXELS; p++) {
        json.append(p == 0 ? "" : ",").append(pixels[offset + p] & 0xff);
      }
      json.append(']');
    }
    return json.append(count == 1 ? "}" : "]}").toString();
  }

  /** An Open Inference Protocol v2 request body for image {@code index}: UINT8 [1,28,28,1]. */
  public static String oipBody(byte[] pixels, int index) {
    return oipBody(null, pixels, index, 1);
  }

  /**
   * An Open Inference Protocol v2 request body for {@code count} images from image {@code first}:
   * UINT8 [count,28,28,1], asking for {@code probs}; with the request {@code id} unless null.
   */
  public static String oipBody(String id, byte[] pixels, int first, int count) {
    StringBuilder json = new StringBuilder(count * FashionMnist.PIXELS * 4 + 200);
    json.append('{');
    if (id != null) {
      json.append("\"id\":").append(JSON.getNodeFactory().textNode(id).toString()).append(',');
    }
    json.append("\"inputs\":[{\"name\":\"image\",\"datatype\":\"UINT8\",\"shape\":[")
        .append(count)
        .append(",28,28,1],\"data\":[");
    for (int p = first * FashionMnist.PIXELS; p < (first + count) * FashionMnist.PIXELS; p++) {
      json.append(p == first * FashionMnist.PIXELS ? "" : ",").append(pixels[p] & 0xff);
    }
    return json.append("]}],\"outputs\":[{\"name\":\"probs\"}]}").toString();
  }

  /** Sends a prepared body; returns the parsed answer, or throws with the problem's detail. */
  public JsonNode send(String body, int topK) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(predict + "?topK=" + topK))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
