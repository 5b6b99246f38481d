package dev.nin.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool and keeps what it printed (stdout and stderr together). */
record Command(int exitCode, String output) {

  static Command run(Path directory, List<String> command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in 5 minutes");
    }
    return new Command(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  Command orFail(String what) {
    if (exitCode != 0) {
      throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + output);
    }
    return this;
  }
}
