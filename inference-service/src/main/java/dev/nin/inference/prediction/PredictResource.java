package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.servicekit.web.InvalidFieldException;
import dev.nin.servicekit.web.QueryParams;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code POST /api/predict}: JSON pixels, JSON instances, or a PNG/JPEG body. Answers come back
 * asynchronously from the batcher; no request thread waits for the model.
 *
 * <p>Both run on worker threads ({@code @Blocking}): reading up to 256 instances of JSON and
 * decoding a PNG (seconds for a 4096×4096 16-bit one) would otherwise hold a Vert.x event loop, and
 * every other request on that loop (a 784-pixel predict, a health check) would wait behind it.
 */
@Path("/api/predict")
@Produces(MediaType.APPLICATION_JSON)
public class PredictResource {

  static final String TRANSPORT = "rest";

  private final PredictionService predictions;
  private final ImageDecoder decoder;
  private final int maxImages;

  PredictResource(PredictionService predictions, ImageDecoder decoder, InferenceConfig config) {
    this.predictions = predictions;
    this.decoder = decoder;
    this.maxImages = config.limits().maxImages();
  }

  @POST
  @Blocking
  @Consumes(MediaType.APPLICATION_JSON)
  public CompletionStage<PredictResponse> pixels(
      PredictRequest request, @RestQuery("topK") String topKParam) {
    byte[] pixels;
    int count;
    int topK;
    try {
      topK = QueryParams.integer("topK", topKParam, 5, 1, FashionMnist.CLASS_COUNT);
      if (request == null || (request.pixels() == null) == (request.instances() == null)) {
        throw new InvalidFieldException(
            "pixels", "send exactly one of 'pixels' (one image) or 'instances' (up to 256)");
      }
      if (request.pixels() != null) {
        count = 1;
        pixels = new byte[FashionMnist.PIXELS];
        PixelInput.copyImage(request.pixels(), "pixels", pixels, 0);
      } else {
        count = request.instances().length;
        if (count == 0) {
          throw new InvalidFieldException("instances", "instances is empty");
        }
        if (count > maxImages) {
          throw new TooLargeException(count + " instances; at most " + maxImages + " a request");
        }
        pixels = new byte[count * FashionMnist.PIXELS];
        for (int i = 0; i < count; i++) {
          PixelInput.copyImage(request.instances()[i], "instances[" + i + "]", pixels, i);
        }
      }
    } catch (InvalidFieldException | TooLargeException e) {
      predictions.recordRefused(TRANSPORT, e);
      throw e;
    }
    return predictions
        .score(pixels, count, TRANSPORT)
        .thenApply(scored -> PredictResponse.of(scored, topK));
  }

  @POST
  @Blocking
  @Consumes({"image/png", "image/jpeg"})
  public CompletionStage<PredictResponse> image(
      byte[] body, @RestQuery("topK") String topKParam, @RestQuery("invert") String invertParam) {
    byte[] pixels;
    int topK;
    try {
      topK = QueryParams.integer("topK", topKParam, 5, 1, FashionMnist.CLASS_COUNT);
      pixels = decoder.decode(body, QueryParams.bool("invert", invertParam, false));
    } catch (InvalidFieldException | TooLargeException e) {
      predictions.recordRefused(TRANSPORT, e);
      throw e;
    }
    return predictions.score(pixels, 1, TRANSPORT).thenApply(s -> PredictResponse.of(s, topK));
  }
}
