package dev.nin.inference.oip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nin.contracts.FashionMnist;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ActiveModel;
import dev.nin.inference.models.ModelVersion;
import dev.nin.inference.prediction.NoModelException;
import dev.nin.inference.prediction.OverloadedException;
import dev.nin.inference.prediction.PredictionService;
import dev.nin.inference.prediction.ScoredImages;
import dev.nin.servicekit.web.InvalidFieldException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Open Inference Protocol v2 over REST (KServe's "V2", which Triton, TorchServe and DJL Serving
 * speak too), beside {@code /api/predict}: one model, {@code nin}, whose version is the serving
 * checkpoint's id. Same batcher, limits and leases as the product's own API; errors are {@code
 * {"error": "…"}} as the protocol says.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {

  static final String MODEL = OipModel.NAME;
  static final String TRANSPORT = "oip-rest";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A request for the serving model this small (a few images of JSON, parsed in well under a
   * millisecond) is read where it arrived, on the event loop: nothing on that path blocks (the
   * batcher's queue takes it and answers later), and the hand-off to a worker thread and back cost
   * the model 5 points of its busy time at c=64 (84 % against 89 %, docs/performance.md). Larger
   * bodies, up to 256 images, are parsed on a worker so that no event loop stalls on one.
   */
  static final int EVENT_LOOP_MAX_BODY_BYTES = 64 * 1024;

  private final ActiveModel active;
  private final PredictionService predictions;
  private final OipVersions versions;
  private final int maxImages;

  OipResource(
      ActiveModel active,
      PredictionService predictions,
      OipVersions versions,
      InferenceConfig config) {
    this.active = active;
    this.predictions = predictions;
    this.versions = versions;
    this.maxImages = config.limits().maxImages();
  }

  @GET
  @Operation(summary = "OIP v2 server metadata")
  public ObjectNode server() {
    var body = JSON.createObjectNode().put("name", OipModel.SERVER).put("version", "2");
    body.putArray("extensions");
    return body;
  }

  @GET
  @Path("/health/live")
  public Response live() {
    return Response.ok(JSON.createObjectNode().put("live", true)).build();
  }

  @GET
  @Path("/health/ready")
  public Response ready() {
    return readiness(active.version().isPresent());
  }

  @GET
  @Path("/models/{model}")
  @Operation(summary = "OIP v2 model metadata: input image uint8 [-1,28,28,1], probs and logits")
  public ObjectNode model(@PathParam("model") String model) {
    OipModel.requireModel(model);
    return metadata(versions.servable());
  }

  @GET
  @Path("/models/{model}/ready")
  public Response modelReady(@PathParam("model") String model) {
    OipModel.requireModel(model);
    return readiness(active.version().isPresent());
  }

  @GET
  @Path("/models/{model}/versions/{version}")
  public ObjectNode version(@PathParam("model") String model, @PathParam("version") String v) {
    OipModel.requireModel(model);
    return metadata(List.of(versions.require(v)));
  }

  @GET
  @Path("/models/{model}/versions/{version}/ready")
  public Response versionReady(@PathParam("model") String model, @PathParam("version") String v) {
    OipModel.requireModel(model);
    versions.require(v); // a servable checkpoint is ready: it loads on its first request
    return readiness(true);
  }

  @POST
  @Path("/models/{model}/infer")
  @NonBlocking
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "OIP v2 inference with the serving checkpoint")
  public CompletionStage<Response> infer(@PathParam("model") String model, byte[] body) {
    if (body != null && body.length > EVENT_LOOP_MAX_BODY_BYTES) {
      return CompletableFuture.supplyAsync(
              () -> infer(model, null, body), Infrastructure.getDefaultWorkerPool())
          .thenCompose(answer -> answer);
    }
    return infer(model, null, body);
  }

  @POST
  @Path("/models/{model}/versions/{version}/infer")
  @Blocking
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "OIP v2 inference with one version (checkpoint id)")
  public CompletionStage<Response> inferVersion(
      @PathParam("model") String model, @PathParam("version") String version, byte[] body) {
    return infer(model, version, body);
  }

  /** The request's {@code id}, when it has one (logged with the prediction). */
  private static String requestId(JsonNode request) {
    JsonNode id = request.get("id");
    return id != null && id.isTextual() ? id.asText() : null;
  }

  private CompletionStage<Response> infer(String model, String version, byte[] body) {
    if (body != null
        && body.length > EVENT_LOOP_MAX_BODY_BYTES
        && io.vertx.core.Context.isOnEventLoopThread()) {
      // a body of up to 256 images parses for milliseconds: never on an event loop
      throw new IllegalStateException("large inference bodies are parsed on worker threads");
    }
    JsonNode request;
    OipTensors.Images images;
    Set<String> outputs;
    java.util.OptionalLong other;
    try {
      OipModel.requireModel(model);
      other = OipModel.otherVersion(active, version);
      request = parse(body);
      images = OipTensors.fromJson(request.get("inputs"), maxImages);
      outputs = requestedOutputs(request.get("outputs"));
    } catch (OipException e) {
      predictions.recordRefused(TRANSPORT, new InvalidFieldException("inputs", e.getMessage()));
      return CompletableFuture.completedFuture(error(e.status(), e.getMessage()));
    }
    if (other.isPresent()) {
      // another version than the serving one: its own model, on this worker thread
      try {
        var scored = versions.score(other.getAsLong(), images, TRANSPORT, requestId(request));
        return CompletableFuture.completedFuture(
            Response.ok(answer(request, scored, outputs)).build());
      } catch (OipException e) {
        return CompletableFuture.completedFuture(error(e.status(), e.getMessage()));
      }
    }
    return predictions
        .score(images.pixels(), images.count(), TRANSPORT, requestId(request))
        .handle(
            (scored, failure) -> {
              if (failure != null) {
                return unavailable(failure);
              }
              if (version != null
                  && !version.equals(String.valueOf(scored.version().checkpointId()))) {
                // the serving checkpoint changed while the request waited
                return error(404, "version " + version + " is no longer serving");
              }
              try {
                return Response.ok(answer(request, scored, outputs)).build();
              } catch (OipException e) {
                return error(e.status(), e.getMessage());
              }
            });
  }

  private static ObjectNode answer(JsonNode request, ScoredImages scored, Set<String> outputs) {
    var body = JSON.createObjectNode();
    body.put("model_name", MODEL);
    body.put("model_version", String.valueOf(scored.version().checkpointId()));
    if (request.hasNonNull("id")) {
      body.set("id", request.get("id"));
    }
    ArrayNode tensors = body.putArray("outputs");
    for (String name : outputs) {
      float[][] rows = name.equals(OipModel.PROBS) ? scored.probabilities() : scored.logits();
      if (rows == null) {
        throw new OipException(500, "checkpoint has no '" + name + "' output");
      }
      var tensor = tensors.addObject().put("name", name).put("datatype", "FP32");
      tensor.putArray("shape").add(rows.length).add(FashionMnist.CLASS_COUNT);
      ArrayNode data = tensor.putArray("data");
      for (float[] row : rows) {
        for (float v : row) {
          data.add(v);
        }
      }
    }
    return body;
  }

  private static Set<String> requestedOutputs(JsonNode outputs) {
    if (outputs == null || outputs.isNull()) {
      return OipModel.outputs(java.util.List.of());
    }
    if (!outputs.isArray() || outputs.isEmpty()) {
      throw new OipException(400, "'outputs' lists up to two of 'probs' and 'logits'");
    }
    var names = new java.util.ArrayList<String>();
    outputs.forEach(o -> names.add(o.path("name").asText(null)));
    return OipModel.outputs(names);
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new OipException(400, "the request has no body: send an inference request as JSON");
    }
    try {
      JsonNode request = JSON.readTree(body);
      if (request == null || !request.isObject()) {
        throw new OipException(400, "the request body is not a JSON object");
      }
      return request;
    } catch (JsonProcessingException e) {
      throw new OipException(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new OipException(400, "the request body could not be read");
    }
  }

  private ObjectNode metadata(List<ModelVersion> servable) {
    var body = JSON.createObjectNode().put("name", MODEL).put("platform", OipModel.PLATFORM);
    ArrayNode listed = body.putArray("versions");
    servable.forEach(v -> listed.add(String.valueOf(v.checkpointId())));
    var input = body.putArray("inputs").addObject().put("name", OipTensors.INPUT);
    input.put("datatype", "UINT8");
    OipModel.INPUT_SHAPE.forEach(input.putArray("shape")::add);
    ArrayNode outputs = body.putArray("outputs");
    for (String name : OipModel.OUTPUTS) {
      var output = outputs.addObject().put("name", name).put("datatype", "FP32");
      OipModel.OUTPUT_SHAPE.forEach(output.putArray("shape")::add);
    }
    return body;
  }

  private static Response readiness(boolean ready) {
    // the protocol: 200 means ready, a 4xx means not
    return ready
        ? Response.ok().build()
        : error(400, "no model serves yet: train a run until its first epoch checkpoint");
  }

  private static Response unavailable(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof NoModelException) {
      return error(503, "no model serves yet");
    }
    if (cause instanceof OverloadedException) {
      return Response.status(503)
          .entity(JSON.createObjectNode().put("error", "overloaded: retry shortly"))
          .header("Retry-After", "1")
          .build();
    }
    return error(500, "inference failed: see the service log");
  }

  static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(JSON.createObjectNode().put("error", message))
        .build();
  }
}
