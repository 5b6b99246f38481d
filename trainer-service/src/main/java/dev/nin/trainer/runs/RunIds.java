package dev.nin.trainer.runs;

import dev.nin.servicekit.web.InvalidFieldException;
import java.util.UUID;

/** Run ids in paths: a UUID, or a 400 that says so. */
public final class RunIds {

  private RunIds() {}

  public static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("id", "'" + id + "' is not a run id (a UUID)");
    }
  }
}
