package dev.nin.core.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the hardware a run trains on can compute fast, for {@link Precision#AUTO}.
 *
 * @param cpuFlags the CPU's feature flags as {@code /proc/cpuinfo} lists them (empty elsewhere)
 * @param gpuComputeCapability the first GPU's CUDA compute capability, 0 when training on the CPU
 */
public record HardwareFeatures(Set<String> cpuFlags, double gpuComputeCapability) {

  public HardwareFeatures {
    cpuFlags = Set.copyOf(cpuFlags);
  }

  /** bfloat16 tensor cores (Ampere, 8.0, and later) on a GPU; AVX-512 BF16 or AMX on a CPU. */
  public boolean hasBfloat16() {
    if (gpuComputeCapability > 0) {
      return gpuComputeCapability >= 8.0;
    }
    return cpuFlags.stream().anyMatch(Precision.BF16_CPU_FLAGS::contains);
  }

  /** This machine: its CPU flags, and the GPU's capability when {@code device} is a GPU. */
  public static HardwareFeatures of(Device device) {
    return new HardwareFeatures(hostCpuFlags(), device.gpu() ? firstGpuComputeCapability() : 0);
  }

  /** The {@code flags} line of a {@code /proc/cpuinfo} text (its first processor), as a set. */
  static Set<String> cpuFlags(String cpuinfo) {
    return cpuinfo
        .lines()
        .filter(line -> line.startsWith("flags"))
        .findFirst()
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .map(flags -> Arrays.stream(flags.split("\\s+")).collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  private static Set<String> hostCpuFlags() {
    try {
      return cpuFlags(Files.readString(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException notLinux) {
      return Set.of();
    }
  }

  /**
   * {@code nvidia-smi}'s answer for GPU 0; 0 when it is missing or says nothing usable (then {@code
   * auto} stays fp32 on that GPU: the safe side).
   */
  private static double firstGpuComputeCapability() {
    try {
      var process =
          new ProcessBuilder("nvidia-smi", "--query-gpu=compute_cap", "--format=csv,noheader")
              .redirectErrorStream(true)
              .start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return 0;
      }
      String first =
          new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      return process.exitValue() == 0 ? Double.parseDouble(first.trim()) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
