package dev.nin.trainer.checkpoints;

import dev.nin.servicekit.web.SavedModelDownload;
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
    return SavedModelDownload.of(model.id(), model.zip(), model.sha256());
  }

  @GET
  @Path("/lineage")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "What made the checkpoint: code, runtime, hyperparameters, data and offsets")
  public String lineage(@PathParam("id") String id) {
    return checkpoints.lineage(parse(id)).orElseThrow(() -> notFound(id));
  }

  private static long parse(String id) {
    return SavedModelDownload.checkpointId(id);
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("no evaluated checkpoint " + id);
  }
}
