package dev.nin.core.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build was made from, stamped by Maven: the git commit (and whether the checkout had
 * uncommitted changes), the project version, and the TensorFlow Java, natives and DJL versions. A
 * value the build could not know (a commit built outside a checkout) reads {@code unknown}.
 */
public record BuildInfo(
    String commit,
    String dirty,
    String version,
    String tensorflowJava,
    String nativesClassifier,
    String djl) {

  private static final String RESOURCE = "/nin-build.properties";

  private static final BuildInfo CURRENT = load();

  public static BuildInfo current() {
    return CURRENT;
  }

  private static BuildInfo load() {
    var properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
    return new BuildInfo(
        value(properties, "commit"),
        value(properties, "dirty"),
        value(properties, "version"),
        value(properties, "tensorflowJava"),
        value(properties, "nativesClassifier"),
        value(properties, "djl"));
  }

  /** A placeholder Maven left unfilled (no such property at build time) is not a value. */
  private static String value(Properties properties, String key) {
    String v = properties.getProperty(key, "");
    return v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }
}
