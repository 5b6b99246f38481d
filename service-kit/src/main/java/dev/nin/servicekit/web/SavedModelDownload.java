package dev.nin.servicekit.web;

import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/checkpoints/{id}/savedmodel}, the same on the trainer (any evaluated checkpoint)
 * and on inference (the servable ones): the SavedModel zip as an attachment, with its SHA-256 in a
 * header so the download can be checked against the catalogue.
 */
public final class SavedModelDownload {

  /** The SavedModel zip's SHA-256 (lowercase hex), as the catalogue records it. */
  public static final String SHA256_HEADER = "X-Checkpoint-SHA256";

  private SavedModelDownload() {}

  public static Response of(long checkpointId, byte[] zip, String sha256) {
    return Response.ok(zip, "application/zip")
        .header(SHA256_HEADER, sha256)
        .header(
            "Content-Disposition",
            "attachment; filename=\"nin-checkpoint-" + checkpointId + ".zip\"")
        .build();
  }

  /** A checkpoint id from the path: a positive integer, else a 400 naming it. */
  public static long checkpointId(String id) {
    try {
      long value = Long.parseLong(id);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // below
    }
    throw new InvalidFieldException(
        "id", "a checkpoint id is a positive integer, was '" + id + "'");
  }
}
