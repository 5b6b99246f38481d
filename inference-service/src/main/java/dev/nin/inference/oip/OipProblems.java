package dev.nin.inference.oip;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** OIP errors as the protocol writes them: {@code {"error": "…"}}, not problem JSON. */
public class OipProblems {

  @ServerExceptionMapper
  public Response oip(OipException e) {
    return OipResource.error(e.status(), e.getMessage());
  }
}
