package dev.nin.testsupport;

import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * {@link RealInfrastructureResource} for a service that reads the shared schema but does not own it
 * (inference-service): the database is first migrated with the same Flyway scripts the trainer
 * applies at start ({@code db/migration} in the schema jar, a test dependency of such a service).
 */
public class MigratedInfrastructureResource extends RealInfrastructureResource {

  @Override
  public Map<String, String> start() {
    var infrastructure = SharedInfrastructure.get();
    Flyway.configure()
        .dataSource(infrastructure.jdbcUrl(), infrastructure.dbUser(), infrastructure.dbPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return infrastructure.quarkusConfig();
  }
}
