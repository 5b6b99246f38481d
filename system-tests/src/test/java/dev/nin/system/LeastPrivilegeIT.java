package dev.nin.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nin.contracts.Topics;
import dev.nin.servicekit.kafka.PipelineKafka;
import dev.nin.testsupport.Infrastructure;
import dev.nin.testsupport.InfrastructureMode;
import dev.nin.testsupport.KafkaAccess;
import dev.nin.testsupport.LocalKafkaBroker;
import dev.nin.testsupport.PrometheusText;
import dev.nin.testsupport.ServiceProcess;
import dev.nin.testsupport.SharedInfrastructure;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The pipeline as the compose file and {@code k8s/} deploy it, with least privilege: Kafka requires
 * SASL/SCRAM and grants each service's user only what {@code k8s/base/kafka-access/acls.txt} says;
 * PostgreSQL has a role per service (the trainer owns the schema, inference reads it and writes its
 * pin table only). Each packaged service works with its own credentials — a run is ingested,
 * trained, checkpointed, served and pinned — while a client holding another service's credentials
 * cannot forge a training request, a checkpoint event or a batch, a wrong password is refused, and
 * inference's role cannot change the catalogue.
 */
class LeastPrivilegeIT {

  private static final String TOKEN = "least-privilege-token";
  private static final String DATABASE = "nin_least_privilege";

  private final ServiceApi api = new ServiceApi(TOKEN);
  private final Infrastructure shared = SharedInfrastructure.get();
  private final Map<String, String> kafkaPasswords =
      Map.of("ingest", secret(), "trainer", secret(), "inference", secret());
  private final String trainerDbPassword = secret();
  private final String inferenceDbPassword = secret();

  @Test
  void eachServiceWorksWithItsOwnUserAndNoServiceCanForgeAnother() throws Exception {
    try (var broker = LocalKafkaBroker.startWithScram()) {
      KafkaAccess.apply(broker.adminBootstrapServers(), kafkaPasswords, KafkaAccess.ACLS);
      // As on any cluster that has announced a checkpoint before: inference takes its place at
      // the end of an existing topic. (On a fresh cluster the trainer creates the topic with its
      // first event, which a replica may be too late to read; its catalogue poll finds that one.)
      new PipelineKafka(broker.adminBootstrapServers()).ensureTopic(Topics.CHECKPOINTS);
      String jdbcUrl = createDatabaseWithServiceRoles();
      var infra =
          new Infrastructure(
              InfrastructureMode.EXTERNAL, broker.bootstrapServers(), jdbcUrl, "", "");

      try (var trainer =
              ServiceProcess.start(
                      jar("trainer-service"),
                      "lp-trainer",
                      infra,
                      env("trainer", "nin_trainer", trainerDbPassword))
                  .awaitUp("/q/health/ready", Duration.ofSeconds(90));
          var ingest =
              ServiceProcess.start(jar("ingest-service"), "lp-ingest", infra, env("ingest", "", ""))
                  .awaitUp("/q/health/ready", Duration.ofSeconds(90));
          var inference =
              ServiceProcess.start(
                      jar("inference-service"),
                      "lp-inference",
                      infra,
                      env("inference", "nin_inference", inferenceDbPassword))
                  .awaitUp("/q/health/live", Duration.ofSeconds(90))) {

        // Each service with its own user: the run is ingested, trained and announced ...
        String id =
            api.send(
                    "POST",
                    trainer.baseUrl() + "/api/runs",
                    """
                    {"name": "least-privilege", "resize": 67, "epochs": 1, "batchSize": 50,
                     "trainLimit": 500, "testLimit": 200, "seed": 3, "logEvery": 5}
                    """)
                .path("id")
                .asText();
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () ->
                    assertThat(
                            api.get(trainer.baseUrl() + "/api/runs/" + id).path("status").asText())
                        .as(trainer.logTail() + ingest.logTail())
                        .isEqualTo("SUCCEEDED"));
        // ... inference reads the catalogue with its role and serves the run's checkpoint ...
        long served =
            await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                    () -> {
                      JsonNode active = api.get(inference.baseUrl() + "/api/model").path("active");
                      return active.path("runId").asText().equals(id)
                          ? active.path("checkpointId").asLong()
                          : null;
                    },
                    checkpoint -> checkpoint != null);
        // ... and heard of it as an event too: its channel reads nin.checkpoints with the
        // topic rights alone (an assigned partition, no consumer group to be granted) ...
        assertThat(
                PrometheusText.sum(
                    Scrape.of(inference.baseUrl()),
                    "kafka_consumer_fetch_manager_records_consumed_total",
                    "inference-checkpoints\",topic=\"nin.checkpoints"))
            .as(inference.logTail())
            .isPositive();
        // ... ingest, with its user, deleted the run's topics when it ended ...
        try (var admin = new PipelineKafka(broker.adminBootstrapServers()).admin()) {
          await()
              .atMost(Duration.ofSeconds(60))
              .untilAsserted(
                  () ->
                      assertThat(admin.listTopics().names().get())
                          .noneMatch(topic -> topic.contains(id)));
        }
        // ... and inference writes the one table it owns: a pin, then its removal.
        api.send(
            "PUT", inference.baseUrl() + "/api/model/pin", "{\"checkpointId\": " + served + "}");
        api.send("DELETE", inference.baseUrl() + "/api/model/pin", null);

        // Another service's credentials cannot forge what only the trainer (or ingest) writes.
        assertRefused("inference", Topics.TRAINING_REQUESTS, broker);
        assertRefused("ingest", Topics.CHECKPOINTS, broker);
        assertRefused("inference", Topics.CHECKPOINTS, broker);
        // (a run topic that exists: the trainer may read run topics, never write them)
        UUID decoy = UUID.randomUUID();
        kafkaAs("ingest", broker).ensureTopic(Topics.trainBatches(decoy));
        assertRefused("trainer", Topics.trainBatches(decoy), broker);
        assertRefused("inference", Topics.trainBatches(UUID.randomUUID()), broker);
        // A wrong password is no user at all.
        var impostor =
            new PipelineKafka(broker.bootstrapServers(), PipelineKafka.scram("trainer", "guess"));
        try (var producer = impostor.producer("impostor")) {
          assertThatThrownBy(
                  () ->
                      producer
                          .send(new ProducerRecord<>(Topics.CHECKPOINTS, "x", new byte[] {1}))
                          .get())
              .isInstanceOfAny(SaslAuthenticationException.class, ExecutionException.class)
              .satisfies(
                  e -> assertThat(rootOrSelf(e)).isInstanceOf(SaslAuthenticationException.class));
        }

        // Inference's database role reads, but cannot change the catalogue.
        try (var c = DriverManager.getConnection(jdbcUrl, "nin_inference", inferenceDbPassword);
            var s = c.createStatement()) {
          try (var rs = s.executeQuery("select count(*) from checkpoint")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isPositive();
          }
          for (String write :
              new String[] {
                "delete from checkpoint",
                "update training_run set name = 'forged'",
                "insert into run_attempt select * from run_attempt",
                "drop table serving_pin",
                // the serving history is append-only for inference: it cannot rewrite it
                "update serving_event set reason = 'forged'",
                "delete from serving_event"
              }) {
            assertThatThrownBy(() -> s.executeUpdate(write))
                .as(write)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("42501"));
          }
        }
        // Nothing forged reached the model inference serves.
        assertThat(
                api.get(inference.baseUrl() + "/api/model")
                    .path("active")
                    .path("checkpointId")
                    .asLong())
            .isEqualTo(served);
      }
    }
  }

  private PipelineKafka kafkaAs(String user, LocalKafkaBroker broker) {
    return new PipelineKafka(
        broker.bootstrapServers(), PipelineKafka.scram(user, kafkaPasswords.get(user)));
  }

  /** A producer with {@code user}'s own credentials is refused on {@code topic}. */
  private void assertRefused(String user, String topic, LocalKafkaBroker broker) {
    try (var producer = kafkaAs(user, broker).producer("forger-" + user)) {
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>(topic, "forged", new byte[] {1})).get())
          .as(user + " writing " + topic)
          .satisfies(
              e -> assertThat(rootOrSelf(e)).isInstanceOf(TopicAuthorizationException.class));
    }
  }

  private static Throwable rootOrSelf(Throwable e) {
    return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
  }

  /**
   * A database of its own on the shared server, owned by the trainer's role, with the role the
   * deployment creates for inference (k8s/base/postgres-roles/nin-roles.sh does the same).
   */
  private String createDatabaseWithServiceRoles() throws SQLException {
    try (var c =
            DriverManager.getConnection(shared.jdbcUrl(), shared.dbUser(), shared.dbPassword());
        var s = c.createStatement()) {
      s.execute("drop database if exists " + DATABASE + " with (force)");
      upsertRole(s, "nin_trainer", trainerDbPassword);
      upsertRole(s, "nin_inference", inferenceDbPassword);
      s.execute("create database " + DATABASE + " owner nin_trainer");
    }
    String url = shared.jdbcUrl();
    return url.substring(0, url.lastIndexOf('/') + 1) + DATABASE;
  }

  private static void upsertRole(Statement s, String role, String password) throws SQLException {
    try (var rs = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
      s.execute(
          (rs.next() ? "alter" : "create")
              + " role "
              + role
              + " login password '"
              + password
              + "'");
    }
  }

  private Map<String, String> env(String kafkaUser, String dbUser, String dbPassword) {
    var env = new HashMap<String, String>();
    env.put("NIN_API_TOKEN", TOKEN);
    env.put("NIN_TRAINER_DEVICE", "cpu");
    env.put("NIN_INFERENCE_POLL_INTERVAL", "PT2S");
    env.put("DB_USER", dbUser);
    env.put("DB_PASSWORD", dbPassword);
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put(
        "KAFKA_SASL_JAAS_CONFIG",
        (String)
            PipelineKafka.scram(kafkaUser, kafkaPasswords.get(kafkaUser)).get("sasl.jaas.config"));
    return env;
  }

  private static String secret() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static Path jar(String service) {
    return Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar");
  }
}
