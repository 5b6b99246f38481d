package dev.nin.inference.prediction;

import dev.nin.servicekit.web.Problem;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Prediction failures as problem JSON: 413 too large, 503 no model or overloaded. */
public class PredictionProblems {

  @ServerExceptionMapper
  public Response tooLarge(TooLargeException e) {
    return Problem.response(413, "too-large", "Request Too Large", e.getMessage()).build();
  }

  @ServerExceptionMapper
  public Response noModel(NoModelException e) {
    return Problem.response(503, "no-model", "No Model Serving", e.getMessage())
        .header("Retry-After", "10")
        .build();
  }

  @ServerExceptionMapper
  public Response overloaded(OverloadedException e) {
    return Problem.response(503, "overloaded", "Overloaded", e.getMessage())
        .header("Retry-After", "1")
        .build();
  }

  @ServerExceptionMapper
  public Response completion(CompletionException e) {
    if (e.getCause() instanceof NoModelException noModel) {
      return noModel(noModel);
    }
    if (e.getCause() instanceof OverloadedException overloaded) {
      return overloaded(overloaded);
    }
    return Problem.response(500, "server-error", "Server Error", "see the service log").build();
  }
}
