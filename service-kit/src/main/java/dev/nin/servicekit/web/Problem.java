package dev.nin.servicekit.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://nin.dev/problems/";

  public static Response.ResponseBuilder response(
      int status, String type, String title, String detail) {
    return response(new Problem(TYPE_BASE + type, title, status, detail, null));
  }

  public static Response.ResponseBuilder response(Problem problem) {
    return Response.status(problem.status()).type(MEDIA_TYPE).entity(problem);
  }

  public static Problem invalidField(String field, String detail) {
    return new Problem(TYPE_BASE + "invalid-field", "Invalid field", 400, detail, field);
  }
}
