package dev.nin.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.core.training.Device;
import dev.nin.core.training.DeviceChoice;
import dev.nin.core.training.HardwareFeatures;
import dev.nin.core.training.Precision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@code nin.sh bench}: float32 and bfloat16 alternate within every round, every ratio is taken
 * within a round, and a short real run prints each figure the docs quote.
 */
class BenchmarkTest {

  @Test
  void theOrderOfTheVariantsAlternatesFromRoundToRound() {
    var variants = List.of(Precision.FP32, Precision.BF16);
    assertThat(Benchmark.inRound(variants, 0)).containsExactly(Precision.FP32, Precision.BF16);
    assertThat(Benchmark.inRound(variants, 1)).containsExactly(Precision.BF16, Precision.FP32);
    assertThat(Benchmark.inRound(variants, 2)).containsExactly(Precision.FP32, Precision.BF16);
  }

  @Test
  void aRatioIsTakenWithinEachRoundAndTheMedianIgnoresOneDriftingRound() {
    var series = new Benchmark.Series(List.of(Precision.FP32, Precision.BF16), 3);
    // the machine runs at a third of its speed in round 1: both variants slow alike
    double[] fp32 = {100, 33, 100};
    double[] bf16 = {160, 54, 170};
    for (int r = 0; r < 3; r++) {
      series.set(Precision.FP32, r, fp32[r]);
      series.set(Precision.BF16, r, bf16[r]);
    }
    assertThat(series.ratios(Precision.BF16, Precision.FP32))
        .containsExactly(new double[] {1.6, 54.0 / 33, 1.7}, Offset.offset(1e-9));
    assertThat(Benchmark.median(series.ratios(Precision.BF16, Precision.FP32)))
        .isCloseTo(54.0 / 33, Offset.offset(1e-9));
    assertThat(series.median(Precision.FP32)).isEqualTo(100);
    assertThat(Benchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  @Test
  void aShortRunPrintsEveryFigureInBothPrecisions() throws Exception {
    var printed = new ByteArrayOutputStream();
    Benchmark.run(
        new String[] {"bench", "--sizes", "67", "--rounds", "2", "--quick"},
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    Map<String, Double> figures = new HashMap<>();
    for (String line : printed.toString(StandardCharsets.UTF_8).split("\n")) {
      String[] kv = line.split("=");
      if (kv.length == 2) {
        figures.put(kv[0], Double.parseDouble(kv[1]));
      }
    }
    for (String key :
        List.of(
            "ceiling_gflops",
            "ceiling_gflops_67",
            "train_images_per_s_67",
            "train_efficiency_67",
            "infer_ms_67_b1",
            "infer_images_per_s_67_b64")) {
      assertThat(figures).as(key).containsKey(key);
      assertThat(figures.get(key)).as(key).isPositive();
    }
    if (HardwareFeatures.of(Device.select(DeviceChoice.AUTO)).hasBfloat16()) {
      for (String ratio :
          List.of(
              "train_speedup_bf16_67", "infer_speedup_bf16_67_b64", "infer_b1_bf16_over_fp32_67")) {
        assertThat(figures).as(ratio).containsKeys(ratio, ratio + "_min", ratio + "_max");
        assertThat(figures.get(ratio))
            .as(ratio + " lies within its rounds' range")
            .isBetween(figures.get(ratio + "_min"), figures.get(ratio + "_max"))
            .isPositive();
      }
      assertThat(figures).containsKeys("ceiling_gflops_bf16_67", "train_efficiency_bf16_67");
    } else {
      assertThat(figures).doesNotContainKey("train_speedup_bf16_67");
    }
  }
}
