package dev.nin.inference.models;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The checkpoint catalog (PostgreSQL), at {@code /q/health/group/dependencies}. Not a readiness
 * check on purpose: while the database is down a replica keeps serving the model it holds.
 */
@HealthGroup("dependencies")
@ApplicationScoped
public class CatalogHealthCheck implements HealthCheck {

  private final CheckpointCatalog catalog;

  CatalogHealthCheck(CheckpointCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("checkpoint-catalog");
    try {
      catalog.pinned();
      return response.up().build();
    } catch (SQLException e) {
      return response.down().withData("error", e.getMessage()).build();
    }
  }
}
