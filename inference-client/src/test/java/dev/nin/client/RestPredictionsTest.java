package dev.nin.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RestPredictionsTest {

  @Test
  void oneImageIsSentAsPixelsAndSeveralAsInstances() throws Exception {
    byte[] pixels = new byte[3 * 784];
    pixels[784] = (byte) 255;
    pixels[2 * 784 + 783] = 7;
    var json = new ObjectMapper();

    var one = json.readTree(RestPredictions.body(pixels, 1, 1));
    assertThat(one.get("pixels")).hasSize(784);
    assertThat(one.get("pixels").get(0).asInt()).isEqualTo(255);

    var two = json.readTree(RestPredictions.body(pixels, 1, 2));
    assertThat(two.get("instances")).hasSize(2);
    assertThat(two.get("instances").get(1).get(783).asInt()).isEqualTo(7);
  }
}
