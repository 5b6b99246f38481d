package dev.nin.core.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options, with a clear error for anything unknown. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, int from, Set<String> options, Set<String> flags) {
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      if (flags.contains(name)) {
        values.put(name, "true");
      } else if (options.contains(name)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        values.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(
            "unknown option --" + name + "; options: " + options + ", flags: " + flags);
      }
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  long getLong(String name, long fallback) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
  }

  double getDouble(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  boolean has(String flag) {
    return values.containsKey(flag);
  }
}
