package dev.nin.inference.models;

import dev.nin.servicekit.web.Problem;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Model-management failures as problem JSON. */
public class ModelProblems {

  private static final Logger LOG = Logger.getLogger(ModelProblems.class);

  @ServerExceptionMapper
  public Response unknown(UnknownCheckpointException e) {
    return Problem.response(404, "unknown-checkpoint", "Unknown Checkpoint", e.getMessage())
        .build();
  }

  @ServerExceptionMapper
  public Response rejected(CheckpointRejectedException e) {
    return Problem.response(422, "checkpoint-rejected", "Checkpoint Rejected", e.getMessage())
        .build();
  }

  @ServerExceptionMapper
  public Response database(SQLException e) {
    LOG.warnf("database unavailable: %s", e.getMessage());
    return Problem.response(
            503, "database-unavailable", "Database Unavailable", "the model catalog is unreachable")
        .header("Retry-After", "5")
        .build();
  }
}
