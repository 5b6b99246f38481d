package dev.nin.contracts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as problem JSON; nothing internal leaks into a response. */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response invalidField(InvalidFieldException e) {
    return Problem.response(Problem.invalidField(e.field(), e.getMessage())).build();
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e) {
    String field = e.getPropertyName();
    return Problem.response(
            Problem.invalidField(
                field,
                "unknown field '"
                    + field
                    + "'; known fields: "
                    + e.getKnownPropertyIds().stream()
                        .map(Object::toString)
                        .sorted()
                        .collect(Collectors.joining(", "))))
        .build();
  }

  @ServerExceptionMapper
  public Response wrongType(InvalidFormatException e) {
    String field = path(e);
    return Problem.response(
            Problem.invalidField(field, "'" + e.getValue() + "' is not a valid value for " + field))
        .build();
  }

  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    String field = path(e);
    return Problem.response(Problem.invalidField(field, "wrong JSON type for " + field)).build();
  }

  @ServerExceptionMapper
  public Response malformed(JsonProcessingException e) {
    return Problem.response(400, "malformed-json", "Malformed JSON", e.getOriginalMessage())
        .build();
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return Problem.response(404, "not-found", "Not Found", e.getMessage()).build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      LOG.error("request failed", e);
      return Problem.response(status, "server-error", "Server Error", "see the service log")
          .build();
    }
    return Problem.response(
            status,
            "http-" + status,
            e.getResponse().getStatusInfo().getReasonPhrase(),
            e.getMessage())
        .build();
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
