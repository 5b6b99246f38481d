package dev.nin.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nin.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml and every Kubernetes overlay, checked offline: against their schemas (the
 * Compose Specification; Kubernetes' OpenAPI schemas via kubernetes-models), and for the wiring
 * that breaks a deployment silently — ports, the environment each service reads, secrets, the
 * record size Kafka must accept, and the GPU request.
 */
class DeploymentManifestsTest {

  private static final Map<String, Integer> PORTS =
      Map.of("ingest-service", 8080, "trainer-service", 8081, "inference-service", 8082);
  private static final List<String> SECRET_ENV = List.of("DB_PASSWORD", "NIN_API_TOKEN");

  private static Path cpu;
  private static Path gpu;

  @BeforeAll
  static void render() throws Exception {
    Manifests.installValidator();
    cpu = Manifests.render("cpu");
    gpu = Manifests.render("gpu");
  }

  @Test
  void theComposeFileAndBothOverlaysMatchTheirSchemas() throws Exception {
    var result =
        Manifests.validate(
            "--compose",
            "docker-compose.yml",
            "--manifests",
            cpu.toString(),
            "--manifests",
            gpu.toString());
    assertThat(result.output()).doesNotContain("INVALID");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().lines().filter(l -> l.startsWith("ok "))).hasSizeGreaterThan(20);
  }

  @Test
  void aBrokenManifestOrComposeFileIsRejected(@TempDir Path dir) throws Exception {
    Path manifests = dir.resolve("broken.yaml");
    Files.writeString(
        manifests, Files.readString(cpu).replaceFirst("replicas: 1", "replicas: one"));
    var k8s = Manifests.validate("--manifests", manifests.toString());
    assertThat(k8s.exitCode()).isEqualTo(1);
    assertThat(k8s.output()).containsPattern("INVALID (Deployment|StatefulSet)/");

    Path compose = dir.resolve("docker-compose.yml");
    Files.writeString(
        compose,
        Files.readString(Manifests.ROOT.resolve("docker-compose.yml"))
            .replace("condition: service_healthy", "condition: when_ready"));
    var composeResult = Manifests.validate("--compose", compose.toString());
    assertThat(composeResult.exitCode()).isEqualTo(1);
    assertThat(composeResult.output()).contains("INVALID compose").contains("condition");
  }

  @Test
  void eachServiceListensOnItsContractPortEverywhere() throws Exception {
    var compose = Manifests.compose().path("services");
    for (var overlay : List.of(cpu, gpu)) {
      var documents = Manifests.documents(overlay);
      for (var entry : PORTS.entrySet()) {
        String service = entry.getKey();
        int port = entry.getValue();
        assertThat(quarkusPort(service)).as(service + " application.properties").isEqualTo(port);
        var container = container(Manifests.find(documents, "Deployment", service));
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        assertThat(
                Manifests.find(documents, "Service", service)
                    .path("spec")
                    .path("ports")
                    .get(0)
                    .path("port")
                    .asInt())
            .isEqualTo(port);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
            .isEqualTo("/q/health/ready");
      }
    }
    PORTS.forEach(
        (service, port) ->
            assertThat(texts(compose.path(service).path("ports")))
                .containsExactly("127.0.0.1:" + port + ":" + port));
    assertThat(texts(compose.path("trainer-gpu").path("ports")))
        .containsExactly("127.0.0.1:8081:8081");
  }

  @Test
  void everyVariableAServiceReadsIsSetAndSecretsComeFromSecrets() throws Exception {
    var compose = Manifests.compose().path("services");
    var documents = Manifests.documents(cpu);
    var config = Manifests.find(documents, "ConfigMap", "nin-config").path("data");
    for (String service : PORTS.keySet()) {
      // The dataset folder is baked into the ingest image at the default path: no variable needed.
      List<String> needed =
          environmentRead(service).stream().filter(v -> !v.equals("NIN_DATASET_DIR")).toList();
      assertThat(needed).as(service + " reads").contains("KAFKA_BOOTSTRAP_SERVERS");
      var container = container(Manifests.find(documents, "Deployment", service));
      var explicit = new ArrayList<String>();
      container.path("env").forEach(e -> explicit.add(e.path("name").asText()));
      for (String variable : needed) {
        boolean inK8s = explicit.contains(variable) || config.has(variable);
        assertThat(inK8s).as(service + " needs " + variable + " in k8s").isTrue();
        assertThat(compose.path(service).path("environment").has(variable))
            .as(service + " needs " + variable + " in compose")
            .isTrue();
      }
      for (String secret : SECRET_ENV) {
        if (!needed.contains(secret)) {
          assertThat(explicit)
              .as(service + " gets no secret it does not use")
              .doesNotContain(secret);
          continue;
        }
        var entry =
            StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> e.path("name").asText().equals(secret))
                .findFirst()
                .orElseThrow();
        assertThat(entry.path("valueFrom").path("secretKeyRef").path("name").asText())
            .isEqualTo("nin-secrets");
        assertThat(compose.path(service).path("environment").path(secret).asText())
            .as("compose takes " + secret + " from the shell, never a default")
            .startsWith("${" + (secret.equals("DB_PASSWORD") ? "NIN_DB_PASSWORD" : secret) + ":?");
      }
    }
    assertThat(config.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
    assertThat(config.path("DB_URL").asText()).isEqualTo("jdbc:postgresql://postgres:5432/nin");
  }

  @Test
  void kafkaAcceptsTheRecordsThePipelineSends() throws Exception {
    String maxBytes = String.valueOf(Topics.MAX_RECORD_BYTES);
    var kafka = container(Manifests.find(Manifests.documents(cpu), "StatefulSet", "kafka"));
    var env = new java.util.HashMap<String, String>();
    kafka.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(env).containsEntry("KAFKA_MESSAGE_MAX_BYTES", maxBytes);
    assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    var composeKafka = Manifests.compose().path("services").path("kafka").path("environment");
    assertThat(composeKafka.path("KAFKA_MESSAGE_MAX_BYTES").asText()).isEqualTo(maxBytes);
    assertThat(composeKafka.path("KAFKA_ADVERTISED_LISTENERS").asText())
        .isEqualTo("PLAINTEXT://kafka:9092");
  }

  @Test
  void onlyTheGpuOverlayAndProfileAskForAGpu() throws Exception {
    var gpuTrainer =
        container(Manifests.find(Manifests.documents(gpu), "Deployment", "trainer-service"));
    assertThat(gpuTrainer.path("resources").path("limits").path("nvidia.com/gpu").asInt())
        .isEqualTo(1);
    assertThat(gpuTrainer.path("image").asText()).isEqualTo("nin/trainer-service:gpu");
    assertThat(env(gpuTrainer, "NIN_TRAINER_DEVICE")).isEqualTo("gpu");

    String cpuText = Files.readString(cpu);
    assertThat(cpuText).doesNotContain("nvidia.com/gpu");

    var services = Manifests.compose().path("services");
    var reservation =
        services
            .path("trainer-gpu")
            .path("deploy")
            .path("resources")
            .path("reservations")
            .path("devices")
            .get(0);
    assertThat(reservation.path("driver").asText()).isEqualTo("nvidia");
    assertThat(texts(reservation.path("capabilities"))).containsExactly("gpu");
    assertThat(texts(services.path("trainer-gpu").path("profiles"))).containsExactly("gpu");
    assertThat(texts(services.path("trainer-service").path("profiles"))).containsExactly("cpu");
    assertThat(services.path("trainer-service").path("deploy").isMissingNode()).isTrue();
  }

  @Test
  void inferenceScalesAndSurvivesDrains() throws Exception {
    var documents = Manifests.documents(cpu);
    var hpa =
        Manifests.find(documents, "HorizontalPodAutoscaler", "inference-service").path("spec");
    assertThat(hpa.path("scaleTargetRef").path("name").asText()).isEqualTo("inference-service");
    assertThat(hpa.path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
    var pdb = Manifests.find(documents, "PodDisruptionBudget", "inference-service").path("spec");
    assertThat(pdb.path("minAvailable").asInt()).isEqualTo(1);
    assertThat(pdb.path("selector").path("matchLabels").path("app.kubernetes.io/name").asText())
        .isEqualTo("inference-service");
  }

  @Test
  void kubernetesRunsTheImagesComposeBuilds() throws Exception {
    var services = Manifests.compose().path("services");
    var documents = Manifests.documents(cpu);
    for (String service : PORTS.keySet()) {
      String image = services.path(service).path("image").asText();
      assertThat(services.path(service).path("build").path("target").asText()).isEqualTo(service);
      assertThat(container(Manifests.find(documents, "Deployment", service)).path("image").asText())
          .as(service)
          .isEqualTo(image);
    }
    assertThat(services.path("trainer-worker").path("image").asText())
        .as("extra trainers run the trainer's image")
        .isEqualTo(services.path("trainer-service").path("image").asText());
    assertThat(services.path("trainer-worker").path("ports").isMissingNode())
        .as("extra trainers publish no host port, so any number of them can run")
        .isTrue();
  }

  /**
   * What README.md tells users to type under "With Docker" is what scripts/compose-test.sh runs:
   * every command of the marked block appears, verbatim and in the same order, among the script's
   * commands (comments do not count).
   */
  @Test
  void theComposeTestRunsEveryCommandOfTheReadmesDockerSectionInOrder() throws IOException {
    String readme = Files.readString(Manifests.ROOT.resolve("README.md"));
    int begin = readme.indexOf("<!-- compose-quickstart");
    int end = readme.indexOf("<!-- /compose-quickstart -->");
    assertThat(begin).as("README.md marks its Docker commands").isPositive();
    List<String> commands =
        readme
            .substring(readme.indexOf('\n', begin) + 1, end)
            .lines()
            .filter(line -> !line.isBlank() && !line.startsWith("```"))
            .map(line -> line.replaceFirst("\\s+#\\s.*$", "").strip())
            .toList();
    assertThat(commands)
        .hasSizeGreaterThanOrEqualTo(8)
        .anyMatch(c -> c.startsWith("docker compose up"));
    String script =
        Files.readString(Manifests.ROOT.resolve("scripts/compose-test.sh"))
            .lines()
            .filter(line -> !line.stripLeading().startsWith("#"))
            .reduce("", (a, b) -> a + b + "\n");
    int from = 0;
    for (String command : commands) {
      int at = script.indexOf(command, from);
      assertThat(at)
          .as("scripts/compose-test.sh runs, after the README's previous command: " + command)
          .isNotNegative();
      from = at + command.length();
    }
  }

  private static JsonNode container(JsonNode workload) {
    return workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    return null;
  }

  private static List<String> texts(JsonNode array) {
    var values = new ArrayList<String>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static int quarkusPort(String service) throws IOException {
    var properties = new Properties();
    try (var in = Files.newBufferedReader(applicationProperties(service))) {
      properties.load(in);
    }
    return Integer.parseInt(properties.getProperty("quarkus.http.port"));
  }

  /** The environment variables a service's configuration reads: {@code ${NAME:default}}. */
  private static List<String> environmentRead(String service) throws IOException {
    var matcher =
        Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]")
            .matcher(Files.readString(applicationProperties(service)));
    var names = new ArrayList<String>();
    while (matcher.find()) {
      if (!names.contains(matcher.group(1))) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }

  private static Path applicationProperties(String service) {
    return Manifests.ROOT.resolve(service + "/src/main/resources/application.properties");
  }
}
