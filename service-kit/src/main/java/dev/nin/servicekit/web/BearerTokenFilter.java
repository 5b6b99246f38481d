package dev.nin.servicekit.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * 401 without a bearer token, 403 with a wrong one (or when no token is configured). Tokens are
 * compared in constant time and never logged.
 */
@Provider
@RequiresToken
public class BearerTokenFilter implements ContainerRequestFilter {

  private final ApiToken token;

  BearerTokenFilter(ApiToken token) {
    this.token = token;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      request.abortWith(
          Problem.response(
                  401,
                  "unauthorized",
                  "Unauthorized",
                  "this operation needs Authorization: Bearer <token>")
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
              .build());
      return;
    }
    boolean valid = token.matches(header.substring(7).trim());
    if (!valid) {
      request.abortWith(
          Problem.response(403, "forbidden", "Forbidden", "the bearer token is not valid").build());
    }
  }
}
