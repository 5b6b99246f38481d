package dev.nin.trainer.checkpoints;

import dev.nin.trainer.runs.RunIds;
import dev.nin.trainer.runs.RunRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/runs/{id}/checkpoints")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

  private final CheckpointRepository checkpoints;
  private final RunRepository runs;

  CheckpointResource(CheckpointRepository checkpoints, RunRepository runs) {
    this.checkpoints = checkpoints;
    this.runs = runs;
  }

  @GET
  @Operation(summary = "A run's checkpoints: epoch (evaluated, served) and resume, oldest first")
  public List<CheckpointRepository.Listed> list(@PathParam("id") String id) {
    UUID runId = RunIds.parse(id);
    if (runs.find(runId).isEmpty()) {
      throw new NotFoundException("no run " + id);
    }
    return checkpoints.list(runId);
  }
}
