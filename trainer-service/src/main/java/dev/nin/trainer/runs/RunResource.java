package dev.nin.trainer.runs;

import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.servicekit.web.Problem;
import dev.nin.servicekit.web.QueryParams;
import dev.nin.servicekit.web.RequiresToken;
import dev.nin.trainer.config.TrainerConfig;
import dev.nin.trainer.metrics.MetricRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

  private final RunRepository runs;
  private final MetricRepository metrics;
  private final TrainerConfig config;
  private final RunAdmission admission;

  RunResource(
      RunRepository runs, MetricRepository metrics, TrainerConfig config, RunAdmission admission) {
    this.runs = runs;
    this.metrics = metrics;
    this.config = config;
    this.admission = admission;
  }

  @POST
  @RequiresToken
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Queue a training run; missing hyperparameters take the chapter's values")
  @SecurityRequirement(name = "bearer")
  public Response create(RunSubmission submission, @jakarta.ws.rs.core.Context UriInfo uri) {
    var parameters = RunParameters.from(submission, config.maxEpochs(), config.precision());
    admission.admit(parameters); // before the insert: a refused run leaves no trace anywhere
    Run run = runs.insert(parameters);
    return Response.created(uri.getAbsolutePathBuilder().path(run.id().toString()).build())
        .entity(RunView.of(run))
        .build();
  }

  @GET
  @Operation(summary = "Runs, newest first")
  public List<RunView> list(
      @QueryParam("status") String status, @QueryParam("limit") String limit) {
    RunStatus filter = null;
    if (status != null) {
      try {
        filter = RunStatus.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException("status", "unknown status '" + status + "'");
      }
    }
    int max = QueryParams.integer("limit", limit, 100, 1, 1000);
    return runs.list(filter, max).stream().map(RunView::of).toList();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One run: status, progress, throughput, ETA, error")
  public RunView get(@PathParam("id") String id) {
    Run run = runs.find(RunIds.parse(id)).orElseThrow(() -> notFound(id));
    return RunView.of(run, metrics.latest(run.id()), metrics.latestClasses(run.id()));
  }

  @POST
  @Path("/{id}/cancel")
  @RequiresToken
  @Operation(summary = "Cancel a queued run, or ask its trainer to stop a running one")
  @SecurityRequirement(name = "bearer")
  public Response cancel(@PathParam("id") String id) {
    Run run = runs.requestCancel(RunIds.parse(id)).orElseThrow(() -> notFound(id));
    if (run.status().isFinal() && run.status() != RunStatus.CANCELLED) {
      return Problem.response(
              409, "run-finished", "Conflict", "run " + id + " already ended " + run.status())
          .build();
    }
    return Response.accepted(RunView.of(run)).build();
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("no run " + id);
  }
}
