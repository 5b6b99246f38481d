package dev.nin.trainer.lineage;

import dev.nin.servicekit.web.RequiresToken;
import dev.nin.trainer.runs.Run;
import dev.nin.trainer.runs.RunAdmission;
import dev.nin.trainer.runs.RunIds;
import dev.nin.trainer.runs.RunRepository;
import dev.nin.trainer.runs.RunView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

@Path("/api/runs/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ReproductionResource {

  private final RunRepository runs;
  private final RunAdmission admission;
  private final Reproductions reproductions;

  ReproductionResource(RunRepository runs, RunAdmission admission, Reproductions reproductions) {
    this.runs = runs;
    this.admission = admission;
    this.reproductions = reproductions;
  }

  @POST
  @Path("/reproduce")
  @RequiresToken
  @Operation(
      summary =
          "Queue a run with the same inputs; each of its epochs is compared with the original's")
  @SecurityRequirement(name = "bearer")
  public Response reproduce(@PathParam("id") String id, @Context UriInfo uri) {
    Run original = runs.find(RunIds.parse(id)).orElseThrow(() -> notFound(id));
    admission.admit(original.parameters());
    Run run = runs.insertReproduction(original);
    return Response.created(
            uri.getBaseUriBuilder().path("api/runs").path(run.id().toString()).build())
        .entity(RunView.of(run))
        .build();
  }

  @GET
  @Path("/reproduction")
  @Operation(
      summary = "A reproduction's verdicts, epoch by epoch: identical weights, or how far they are")
  public List<Reproductions.Recorded> verdicts(@PathParam("id") String id) {
    Run run = runs.find(RunIds.parse(id)).orElseThrow(() -> notFound(id));
    return reproductions.verdicts(run.id());
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("no run " + id);
  }
}
