package dev.nin.trainer.sweeps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.servicekit.web.QueryParams;
import dev.nin.servicekit.web.RequiresToken;
import dev.nin.trainer.config.TrainerConfig;
import dev.nin.trainer.runs.RunAdmission;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

@Path("/api/sweeps")
@Produces(MediaType.APPLICATION_JSON)
public class SweepResource {

  private final SweepRepository sweeps;
  private final TrainerConfig config;
  private final RunAdmission admission;
  private final ObjectMapper json;

  SweepResource(
      SweepRepository sweeps, TrainerConfig config, RunAdmission admission, ObjectMapper json) {
    this.sweeps = sweeps;
    this.config = config;
    this.admission = admission;
    this.json = json;
  }

  @POST
  @RequiresToken
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Queue a sweep: trials over a search space, trained by any trainer, stopped early at"
              + " rungs")
  @SecurityRequirement(name = "bearer")
  public Response create(SweepSubmission submission, @Context UriInfo uri)
      throws JsonProcessingException {
    var plan = SweepPlan.from(submission, json, config.maxEpochs(), config.precision());
    // every trial within the budgets before any is queued: a sweep is taken whole or not at all
    plan.trials().forEach(trial -> admission.admit(trial.parameters()));
    var sweep = sweeps.create(plan, json.writeValueAsString(submission));
    return Response.created(uri.getAbsolutePathBuilder().path(sweep.id.toString()).build())
        .entity(view(sweep))
        .build();
  }

  @GET
  @Operation(summary = "Sweeps, newest first, each with its trials best first")
  public List<SweepView> list(@QueryParam("limit") String limit) throws JsonProcessingException {
    int max = QueryParams.integer("limit", limit, 20, 1, 200);
    var views = new ArrayList<SweepView>();
    for (var sweep : sweeps.newest(max)) {
      views.add(view(sweep));
    }
    return views;
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One sweep: its state and its trials ranked by best test top-1")
  public SweepView get(@PathParam("id") String id) throws JsonProcessingException {
    return view(found(id));
  }

  @POST
  @Path("/{id}/cancel")
  @RequiresToken
  @Operation(summary = "Cancel a sweep: its queued trials at once, its running ones at a step")
  @SecurityRequirement(name = "bearer")
  public Response cancel(@PathParam("id") String id) throws JsonProcessingException {
    UUID sweepId = found(id).id;
    sweeps.cancel(sweepId);
    return Response.accepted(view(found(id))).build();
  }

  private SweepEntity found(String id) {
    UUID sweepId;
    try {
      sweepId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("id", "'" + id + "' is not a sweep id (a UUID)");
    }
    return sweeps.find(sweepId).orElseThrow(() -> new NotFoundException("no sweep " + id));
  }

  private SweepView view(SweepEntity sweep) throws JsonProcessingException {
    return SweepView.of(sweep, json.readTree(sweep.spec), sweeps.trials(sweep.id));
  }
}
