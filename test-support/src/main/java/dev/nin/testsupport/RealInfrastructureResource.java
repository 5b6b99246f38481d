package dev.nin.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker and a real PostgreSQL: external ones when the
 * environment names them, Testcontainers when Docker answers, otherwise local processes. Use with
 * {@code @QuarkusTestResource(RealInfrastructureResource.class)}.
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return SharedInfrastructure.get().quarkusConfig();
  }

  @Override
  public void stop() {
    // The infrastructure lives as long as the test JVM, across application restarts.
  }
}
