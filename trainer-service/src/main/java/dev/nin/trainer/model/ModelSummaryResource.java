package dev.nin.trainer.model;

import dev.nin.core.model.Chapter;
import dev.nin.core.model.LayerShape;
import dev.nin.core.model.ModelSummary;
import dev.nin.core.model.NinConfig;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.servicekit.web.QueryParams;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/model/summary")
@Produces(MediaType.APPLICATION_JSON)
public class ModelSummaryResource {

  /** The chapter's exercise 3 for one configuration. */
  public record SummaryView(
      int resize,
      int oneByOneConvs,
      long totalParams,
      long multiplyAddsPerImage,
      long flopsPerImage,
      double trainingMemoryMbEstimated,
      int trainingBatch,
      double predictionMemoryMbEstimated,
      List<LayerShape> layers,
      String table) {}

  @GET
  @Operation(summary = "NiN's layers, parameters, FLOPs and memory, as the seed's paddle.summary")
  public SummaryView summary(
      @QueryParam("resize") String resizeParam,
      @QueryParam("oneByOneConvs") String oneByOneParam,
      @QueryParam("batchSize") String batchSizeParam) {
    // the ranges themselves are NinConfig's, with its messages
    int resize =
        QueryParams.integer(
            "resize", resizeParam, Chapter.RESIZE, Integer.MIN_VALUE, Integer.MAX_VALUE);
    int oneByOneConvs =
        QueryParams.integer(
            "oneByOneConvs",
            oneByOneParam,
            Chapter.ONE_BY_ONE_CONVS,
            Integer.MIN_VALUE,
            Integer.MAX_VALUE);
    int batchSize = QueryParams.integer("batchSize", batchSizeParam, Chapter.BATCH_SIZE, 1, 4096);
    NinConfig config;
    try {
      config = NinConfig.chapter().withResize(resize).withOneByOneConvs(oneByOneConvs);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(
          e.getMessage().startsWith("resize") ? "resize" : "oneByOneConvs", e.getMessage());
    }
    var s = ModelSummary.of(config);
    return new SummaryView(
        resize,
        oneByOneConvs,
        s.totalParams(),
        s.multiplyAddsPerImage(),
        s.flopsPerImage(),
        s.trainingMegabytes(batchSize),
        batchSize,
        s.predictionMegabytes(),
        s.layers(),
        s.paddleTable());
  }
}
