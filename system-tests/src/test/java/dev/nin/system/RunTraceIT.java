package dev.nin.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nin.system.OtlpReceiver.ReceivedSpan;
import dev.nin.testsupport.Infrastructure;
import dev.nin.testsupport.SharedInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One run is one trace: the three packaged services export their spans over OTLP to a stand-in
 * collector, and the trace of {@code POST /api/runs} holds the trainer's run span, ingest's
 * handling of the run's requests, the run's epoch with its evaluation and checkpoint write under
 * it, and inference's loading of that checkpoint. The context crosses Kafka in record headers and
 * waits in PostgreSQL while the run is queued.
 */
class RunTraceIT {

  private static final String TOKEN = "trace-token";
  private final ServiceApi api = new ServiceApi(TOKEN);
  private final Infrastructure infra = SharedInfrastructure.get();

  @Test
  void aRunIsOneTraceFromItsPostToTheLoadOfItsCheckpoint() throws Exception {
    // inference listens from the end of nin.checkpoints: the topic must exist when it starts, and
    // it must be listening before the run's checkpoint is announced
    new dev.nin.servicekit.kafka.PipelineKafka(infra.kafkaBootstrapServers())
        .ensureTopic(dev.nin.contracts.Topics.CHECKPOINTS);
    try (var collector = new OtlpReceiver();
        var services =
            PackagedServices.start(
                infra,
                "trace",
                TOKEN,
                Map.of(
                    "QUARKUS_OTEL_SDK_DISABLED", "false",
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.endpoint(),
                    "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.2S",
                    "NIN_LOG_JSON", "true",
                    // only the checkpoint event, not a poll, may bring the run's model in
                    "NIN_INFERENCE_POLL_INTERVAL", "PT1H"))) {
      var trainer = services.trainer();
      // the channel has its place in the topic once it fetches from it: the partition's lag
      // appears among its client's metrics
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  Scrape.of(services.inference().baseUrl())
                      .contains(
                          "kafka_consumer_fetch_manager_records_lag{client_id=\"inference-checkpoints\","
                              + "partition=\"0\",topic=\"nin.checkpoints\"}"));
      String id =
          api.post(
                  trainer.baseUrl() + "/api/runs",
                  """
                  {"name": "traced", "resize": 67, "epochs": 1, "batchSize": 50,
                   "trainLimit": 500, "testLimit": 200, "seed": 6}
                  """)
              .path("id")
              .asText();

      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                List<ReceivedSpan> spans = collector.spans();
                ReceivedSpan run = runSpan(spans, id);
                List<ReceivedSpan> trace =
                    spans.stream().filter(s -> s.traceId().equals(run.traceId())).toList();
                assertThat(trace)
                    .as("the POST that queued the run starts its trace")
                    .anySatisfy(
                        s -> {
                          assertThat(s.service()).isEqualTo("trainer-service");
                          assertThat(s.name()).isEqualTo("POST /api/runs");
                          assertThat(s.spanId()).isEqualTo(run.parentSpanId());
                        });
                assertThat(trace)
                    .as("ingest handled the run's requests in the same trace")
                    .anySatisfy(
                        s -> {
                          assertThat(s.service()).isEqualTo("ingest-service");
                          assertThat(s.name()).isEqualTo("ingest training request");
                        });
                ReceivedSpan epoch = named(trace, "epoch 0");
                assertThat(epoch.parentSpanId()).isEqualTo(run.spanId());
                assertThat(named(trace, "evaluate").parentSpanId()).isEqualTo(epoch.spanId());
                assertThat(named(trace, "write checkpoint").parentSpanId())
                    .isEqualTo(epoch.spanId());
                assertThat(trace)
                    .as("inference loaded the run's checkpoint in the same trace")
                    .anySatisfy(
                        s -> {
                          assertThat(s.service()).isEqualTo("inference-service");
                          assertThat(s.name()).isEqualTo("load checkpoint");
                        });
              });

      String traceId = runSpan(collector.spans(), id).traceId();
      var log = JsonLog.parse(trainer.log());
      assertThat(log.lines())
          .as("the trainer's JSON lines about the run carry the trace id")
          .anySatisfy(
              line -> {
                assertThat(line.path("mdc").path("runId").asText()).isEqualTo(id);
                assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(traceId);
              });
      System.out.printf(
          "trace %s: %s%n",
          traceId,
          collector.spans().stream()
              .filter(s -> s.traceId().equals(traceId))
              .map(s -> s.service() + ":" + s.name())
              .toList());
    }
  }

  private static ReceivedSpan runSpan(List<ReceivedSpan> spans, String runId) {
    return spans.stream()
        .filter(s -> s.name().equals("train run") && runId.equals(s.attributes().get("nin.run.id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no 'train run' span for run " + runId + " yet"));
  }

  private static ReceivedSpan named(List<ReceivedSpan> trace, String name) {
    return trace.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + name + "' span in the trace yet"));
  }
}
