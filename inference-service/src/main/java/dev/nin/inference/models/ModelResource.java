package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.servicekit.web.RequiresToken;
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
  private final PromotionTrial trial;

  ModelResource(
      ActiveModel active,
      ModelHistory history,
      ModelUpdater updater,
      InferenceConfig config,
      PromotionTrial trial) {
    this.trial = trial;
    this.active = active;
    this.history = history;
    this.updater = updater;
    this.config = config;
  }

  /** What {@code GET /api/model} answers. */
  public record ModelStatus(
      ModelVersion active,
      String policy,
      Long pinnedCheckpointId,
      Promotion promotion,
      PromotionTrial.Status trial,
      List<ModelEvent> history) {}

  /** How candidates are promoted here (the configuration, so a user sees why one waits). */
  public record Promotion(
      Double maxRegression,
      boolean refuseDeadClasses,
      int shadowPercent,
      int shadowRequests,
      double shadowMinAgreement,
      int canaryPercent,
      int canaryRequests) {

    static Promotion of(InferenceConfig.Promotion p) {
      return new Promotion(
          p.maxRegression().isPresent() ? p.maxRegression().getAsDouble() : null,
          p.refuseDeadClasses(),
          p.shadowPercent(),
          p.shadowRequests(),
          p.shadowMinAgreement(),
          p.canaryPercent(),
          p.canaryRequests());
    }
  }

  /** Body of {@code PUT /api/model/pin}. */
  public record PinRequest(Long checkpointId) {}

  @GET
  public ModelStatus status() throws SQLException {
    return new ModelStatus(
        active.version().orElse(null),
        config.policy().name().toLowerCase(),
        updater.pinned().orElse(null),
        Promotion.of(config.promotion()),
        trial.status().orElse(null),
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
