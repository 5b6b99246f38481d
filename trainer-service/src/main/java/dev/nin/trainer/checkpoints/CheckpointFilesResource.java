package dev.nin.trainer.checkpoints;

import dev.nin.contracts.web.InvalidFieldException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** An evaluated checkpoint's model and lineage, to take out of the product. */
@Path("/api/checkpoints/{id}")
public class CheckpointFilesResource {

  /** The SavedModel zip's SHA-256, so a download can be checked against the catalogue. */
  public static final String SHA256_HEADER = "X-Checkpoint-SHA256";

  private final CheckpointRepository checkpoints;

  CheckpointFilesResource(CheckpointRepository checkpoints) {
    this.checkpoints = checkpoints;
  }

  @GET
  @Path("/savedmodel")
  @Produces("application/zip")
  @Operation(
      summary =
          "The checkpoint's SavedModel (serving_default: image uint8 → probs, logits) as a zip,"
              + " with lineage.json beside saved_model.pb")
  public Response savedModel(@PathParam("id") String id) {
    var model = checkpoints.savedModel(parse(id)).orElseThrow(() -> notFound(id));
    return Response.ok(model.zip())
        .header(SHA256_HEADER, model.sha256())
        .header(
            "Content-Disposition", "attachment; filename=\"nin-checkpoint-" + model.id() + ".zip\"")
        .build();
  }

  @GET
  @Path("/lineage")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "What made the checkpoint: code, runtime, hyperparameters, data and offsets")
  public String lineage(@PathParam("id") String id) {
    return checkpoints.lineage(parse(id)).orElseThrow(() -> notFound(id));
  }

  private static long parse(String id) {
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

  private static NotFoundException notFound(String id) {
    return new NotFoundException("no evaluated checkpoint " + id);
  }
}
