package dev.nin.trainer.runs;

import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.trainer.metrics.ClassMetric;
import dev.nin.trainer.metrics.MetricRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A run's metrics as the API shows them, under the run ({@code /api/runs/{id}/metrics}): part of
 * the runs feature, which reads the metrics feature's rows (metrics never depends on runs).
 */
@Path("/api/runs/{id}/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class RunMetricsResource {

  private final MetricRepository metrics;
  private final RunRepository runs;

  RunMetricsResource(MetricRepository metrics, RunRepository runs) {
    this.metrics = metrics;
    this.runs = runs;
  }

  @GET
  @Operation(summary = "A run's learning curve: step metrics every logEvery steps, epoch metrics")
  public List<MetricRepository.Metric> list(
      @PathParam("id") String id, @QueryParam("scope") String scope) {
    UUID runId = RunIds.parse(id);
    if (scope != null && !scope.equals("step") && !scope.equals("epoch")) {
      throw new InvalidFieldException("scope", "scope must be step or epoch, was '" + scope + "'");
    }
    if (runs.find(runId).isEmpty()) {
      throw new NotFoundException("no run " + id);
    }
    return metrics.list(runId, scope);
  }

  @GET
  @Path("/classes")
  @Operation(
      summary =
          "Each evaluated epoch class by class: test recall, how often the class was predicted"
              + " (0: a dead class) and its row of the confusion matrix (predictedAs)")
  public List<ClassMetric> classes(@PathParam("id") String id) {
    UUID runId = RunIds.parse(id);
    if (runs.find(runId).isEmpty()) {
      throw new NotFoundException("no run " + id);
    }
    return metrics.classes(runId);
  }
}
