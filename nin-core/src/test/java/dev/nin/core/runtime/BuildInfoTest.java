package dev.nin.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildInfoTest {

  @Test
  void theBuildStampsTheCommitItWasMadeFromAndTheLibraryVersions() {
    var build = BuildInfo.current();

    // the suite runs from a git checkout (CI clones one), so the commit is known
    assertThat(build.commit()).matches("[0-9a-f]{40}");
    assertThat(build.dirty()).isIn("true", "false");
    assertThat(build.tensorflowJava()).isEqualTo("1.0.0-rc.1");
    assertThat(build.nativesClassifier()).startsWith("linux-x86_64");
    assertThat(build.djl()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(build.version()).isNotEqualTo("unknown");
  }
}
