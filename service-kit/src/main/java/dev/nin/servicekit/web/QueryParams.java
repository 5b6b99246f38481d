package dev.nin.servicekit.web;

/**
 * Query parameters read as text and converted here. JAX-RS answers 404 when it cannot convert a
 * {@code @QueryParam int} (the specification's rule, for a resource that "does not match"), which
 * tells a client with a typo that the endpoint is gone; these answer 400 naming the parameter.
 */
public final class QueryParams {

  private QueryParams() {}

  /** Absent: {@code fallback}; otherwise a decimal integer in [min, max], or a 400. */
  public static int integer(String name, String raw, int fallback, int min, int max) {
    if (raw == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(
          name,
          name + " must be an integer in [" + min + ", " + max + "], was '" + shown(raw) + "'");
    }
    if (value < min || value > max) {
      throw new InvalidFieldException(
          name, name + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /** Absent: {@code fallback}; otherwise exactly {@code true} or {@code false}, or a 400. */
  public static boolean bool(String name, String raw, boolean fallback) {
    if (raw == null) {
      return fallback;
    }
    return switch (raw.strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidFieldException(
              name, name + " must be true or false, was '" + shown(raw) + "'");
    };
  }

  /** The value as the problem may quote it: short, printable. */
  private static String shown(String raw) {
    String cut = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
    return cut.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
