package dev.nin.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code nin.sh profile} on a real TensorFlow trace: every convolution of the seed's NiN gets its
 * forward and its backward kernels, read back from TensorFlow's numbered gradient names.
 */
class StepProfileTest {

  private static final Pattern CONV_ROW =
      Pattern.compile(
          "\\| block(\\d)/conv(\\d) \\| \\d+×\\d+/\\d \\| [\\d.]+ \\| ([\\d.]+) \\| \\d+ \\|"
              + " ([\\d.]+) \\| \\d+ \\|");

  @Test
  void attributesEveryConvolutionsForwardAndBackwardKernelsToItsLayer() throws Exception {
    var printed = new ByteArrayOutputStream();
    StepProfile.run(
        new String[] {"profile", "--resize", "67", "--steps", "1", "--batch-size", "8"},
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<String> lines = Arrays.asList(printed.toString(StandardCharsets.UTF_8).split("\n"));

    var convRows = lines.stream().map(CONV_ROW::matcher).filter(m -> m.matches()).toList();
    assertThat(convRows).as("one row per convolution: 4 blocks × (1 + two 1×1)").hasSize(12);
    for (var row : convRows) {
      String layer = "block" + row.group(1) + "/conv" + row.group(2);
      assertThat(Double.parseDouble(row.group(3))).as(layer + " forward ms").isPositive();
      assertThat(Double.parseDouble(row.group(4))).as(layer + " backward ms").isPositive();
    }
    // the gradients' numbered kernels all found their layers: nothing left unattributed but the
    // loss, Adam and the casts, a sliver of the step
    var unattributed =
        lines.stream()
            .filter(l -> l.startsWith("| other backward |"))
            .map(l -> Double.parseDouble(l.split("\\|")[3].trim()))
            .findFirst()
            .orElse(0.0);
    assertThat(unattributed)
        .as("share of the step in unattributed gradient kernels")
        .isLessThan(0.1);
  }
}
