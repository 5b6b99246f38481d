package dev.nin.inference.models;

import dev.nin.contracts.web.InvalidFieldException;
import dev.nin.contracts.web.RequiresToken;
import dev.nin.inference.config.InferenceConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;

/** The active version, its history, and the pin that rolls the fleet back to a checkpoint. */
@Path("/api/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

  private final ActiveModel active;
  private final ModelHistory history;
  private final ModelUpdater updater;
  private final InferenceConfig config;

  ModelResource(
      ActiveModel active, ModelHistory history, ModelUpdater updater, InferenceConfig config) {
    this.active = active;
    this.history = history;
    this.updater = updater;
    this.config = config;
  }

  /** What {@code GET /api/model} answers. */
  public record ModelStatus(
      ModelVersion active, String policy, Long pinnedCheckpointId, List<ModelEvent> history) {}

  /** Body of {@code PUT /api/model/pin}. */
  public record PinRequest(Long checkpointId) {}

  @GET
  public ModelStatus status() throws SQLException {
    return new ModelStatus(
        active.version().orElse(null),
        config.policy().name().toLowerCase(),
        updater.pinned().orElse(null),
        history.newestFirst());
  }

  @PUT
  @Path("/pin")
  @Consumes(MediaType.APPLICATION_JSON)
  @RequiresToken
  public ModelStatus pin(PinRequest request) throws SQLException, CheckpointRejectedException {
    if (request == null || request.checkpointId() == null) {
      throw new InvalidFieldException("checkpointId", "checkpointId is required");
    }
    updater.pin(request.checkpointId());
    return status();
  }

  @DELETE
  @Path("/pin")
  @RequiresToken
  public ModelStatus unpin() throws SQLException, CheckpointRejectedException {
    updater.unpin();
    return status();
  }
}
