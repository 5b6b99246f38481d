package dev.nin.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

  @Test
  void theBuildStampsTheCommitItWasMadeFromAndTheLibraryVersions() throws Exception {
    var build = BuildInfo.current();

    // the checkout's HEAD when the build ran in one (CI clones one), "unknown" outside any
    assertThat(build.commit()).isEqualTo(headCommit());
    assertThat(build.dirty()).isIn("true", "false", "unknown");
    assertThat(build.tensorflowJava()).isEqualTo("1.0.0-rc.1");
    assertThat(build.nativesClassifier()).startsWith("linux-x86_64");
    assertThat(build.djl()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(build.version()).isNotEqualTo("unknown");
  }

  /** What git says HEAD is, as the build would have stamped it. */
  static String headCommit() throws InterruptedException {
    try {
      var git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
    } catch (IOException noGit) {
      return "unknown";
    }
  }
}
