package dev.nin.servicekit.web;

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
    if (field.isEmpty()) {
      // about the document, not a field: trailing data, an empty body
      return Problem.response(400, "malformed-json", "Malformed JSON", e.getOriginalMessage())
          .build();
    }
    return Problem.response(
            Problem.invalidField(field, field + " must be " + kind(e.getTargetType())))
        .build();
  }

  /** What a JSON value must be to bind to {@code type}, in the words of a JSON user. */
  private static String kind(Class<?> type) {
    if (type == null) {
      return "another JSON type";
    }
    if (type == int.class
        || type == long.class
        || type == Integer.class
        || type == Long.class
        || type == short.class
        || type == Short.class) {
      return "an integer (a JSON number without a fraction)";
    }
    if (type == double.class
        || type == float.class
        || type == Double.class
        || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
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
    if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
      // the JSON reader wrapped a problem with the document itself (trailing data, say)
      return Problem.response(400, "malformed-json", "Malformed JSON", json.getOriginalMessage())
          .build();
    }
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

  /** The JSON path as the services name fields elsewhere: {@code instances[0][3]}, {@code a.b}. */
  private static String path(MismatchedInputException e) {
    var path = new StringBuilder();
    for (var reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
