package dev.nin.inference.models;

import dev.nin.core.checkpoint.Sha256;
import dev.nin.servicekit.web.SavedModelDownload;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A servable checkpoint's SavedModel, to run on another serving stack (TF Serving, Triton). Only
 * bytes that still hash to the catalogue's SHA-256 leave: a corrupt model is refused here as it is
 * refused for serving.
 */
@Path("/api/checkpoints/{id}/savedmodel")
public class SavedModelResource {

  private final CheckpointCatalog catalog;

  SavedModelResource(CheckpointCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @Produces("application/zip")
  @Operation(
      summary =
          "A servable checkpoint's SavedModel (serving_default: image uint8 → probs, logits) as a"
              + " zip, its SHA-256 in X-Checkpoint-SHA256")
  public Response download(@PathParam("id") String id) throws SQLException {
    long checkpointId = SavedModelDownload.checkpointId(id);
    ModelVersion version = catalog.find(checkpointId).orElseThrow(() -> notFound(checkpointId));
    byte[] zip = catalog.modelZip(checkpointId).orElseThrow(() -> notFound(checkpointId));
    if (!Sha256.hex(zip).equalsIgnoreCase(version.sha256())) {
      throw new jakarta.ws.rs.InternalServerErrorException(
          "checkpoint " + checkpointId + "'s stored model no longer matches its SHA-256");
    }
    return SavedModelDownload.of(checkpointId, zip, version.sha256());
  }

  private static NotFoundException notFound(long id) {
    return new NotFoundException("no servable checkpoint " + id);
  }
}
