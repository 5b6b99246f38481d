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
  private static final List<String> SECRET_ENV =
      List.of("DB_PASSWORD", "NIN_API_TOKEN", "KAFKA_SASL_JAAS_CONFIG");

  /** Each service's own Kafka user and database role (ingest uses no database). */
  private static final Map<String, String> KAFKA_USER =
      Map.of(
          "ingest-service",
          "ingest",
          "trainer-service",
          "trainer",
          "inference-service",
          "inference");

  private static final Map<String, String> DB_ROLE =
      Map.of("trainer-service", "nin_trainer", "inference-service", "nin_inference");

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
        assertThat(fromSecret(container, secret))
            .as(service + " takes " + secret + " from nin-secrets in k8s")
            .isTrue();
        String composed = compose.path(service).path("environment").path(secret).asText();
        assertThat(composed)
            .as("compose takes " + secret + " from the shell, never a default")
            .containsPattern("\\$\\{NIN_[A-Z_]+:\\?");
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
        .startsWith("SASL_PLAINTEXT://kafka:9092,");
  }

  /**
   * Least privilege, the same in compose and k8s/: the broker authenticates every client and
   * authorizes with ACLs (its unauthenticated listeners bind to loopback only), each service has a
   * Kafka user and a database role of its own, the users are exactly those acls.txt grants rights
   * to, and the files that create them are mounted from one place.
   */
  @Test
  void eachServiceHasItsOwnKafkaUserAndDatabaseRoleEverywhere() throws Exception {
    var composeServices = Manifests.compose().path("services");
    var documents = Manifests.documents(cpu);
    var kafka = Manifests.find(documents, "StatefulSet", "kafka");
    var k8sBroker = new java.util.HashMap<String, String>();
    container(kafka)
        .path("env")
        .forEach(e -> k8sBroker.put(e.path("name").asText(), e.path("value").asText()));
    var composeBroker = composeServices.path("kafka").path("environment");
    for (String key :
        List.of(
            "KAFKA_LISTENERS",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
            "KAFKA_SASL_ENABLED_MECHANISMS",
            "KAFKA_AUTHORIZER_CLASS_NAME",
            "KAFKA_SUPER_USERS",
            "KAFKA_INTER_BROKER_LISTENER_NAME")) {
      assertThat(composeBroker.path(key).asText()).as(key).isEqualTo(k8sBroker.get(key));
    }
    assertThat(k8sBroker.get("KAFKA_AUTHORIZER_CLASS_NAME")).endsWith("StandardAuthorizer");
    assertThat(k8sBroker.get("KAFKA_LISTENERS"))
        .as("only the authenticated listener binds beyond loopback")
        .isEqualTo("SASL_PLAINTEXT://:9092,CONTROLLER://localhost:9093,ADMIN://localhost:9094");

    var aclUsers = new java.util.TreeSet<String>();
    for (String line :
        Files.readAllLines(Manifests.ROOT.resolve("k8s/base/kafka-access/acls.txt"))) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        aclUsers.add(line.strip().split("\\s+")[0]);
      }
    }
    assertThat(aclUsers).containsExactlyInAnyOrderElementsOf(KAFKA_USER.values());
    for (var entry : KAFKA_USER.entrySet()) {
      String service = entry.getKey();
      String user = entry.getValue();
      var container = container(Manifests.find(documents, "Deployment", service));
      assertThat(env(container, "KAFKA_SASL_JAAS_CONFIG"))
          .contains("username=\"" + user + "\"")
          .contains("password=\"$(KAFKA_PASSWORD)\"");
      assertThat(secretKey(container, "KAFKA_PASSWORD")).isEqualTo("kafka-" + user + "-password");
      assertThat(
              composeServices
                  .path(service)
                  .path("environment")
                  .path("KAFKA_SASL_JAAS_CONFIG")
                  .asText())
          .contains("username=\"" + user + "\"")
          .contains("password=\"${NIN_KAFKA_" + user.toUpperCase() + "_PASSWORD:?");
      assertThat(
              composeServices
                  .path("kafka-access")
                  .path("environment")
                  .has("NIN_KAFKA_" + user.toUpperCase() + "_PASSWORD"))
          .isTrue();
    }
    for (var entry : DB_ROLE.entrySet()) {
      var container = container(Manifests.find(documents, "Deployment", entry.getKey()));
      String role = entry.getValue();
      String secret = role.replace("nin_", "db-") + "-password";
      assertThat(env(container, "DB_USER")).as(entry.getKey()).isEqualTo(role);
      assertThat(secretKey(container, "DB_PASSWORD")).isEqualTo(secret);
      var composeEnv = composeServices.path(entry.getKey()).path("environment");
      assertThat(composeEnv.path("DB_USER").asText()).isEqualTo(role);
      assertThat(composeEnv.path("DB_PASSWORD").asText())
          .startsWith("${NIN_" + secret.replace('-', '_').toUpperCase() + ":?");
    }
    assertThat(composeServices.path("kafka-access").path("network_mode").asText())
        .isEqualTo("service:kafka");
    assertThat(texts(composeServices.path("kafka-access").path("volumes")))
        .containsExactly("./k8s/base/kafka-access:/opt/nin/kafka-access:ro");
    assertThat(texts(composeServices.path("postgres").path("volumes")))
        .contains(
            "./k8s/base/postgres-roles/nin-roles.sh:/docker-entrypoint-initdb.d/nin-roles.sh:ro");
    assertThat(
            Manifests.find(documents, "StatefulSet", "kafka")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(1)
                .path("name")
                .asText())
        .isEqualTo("kafka-access");
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

  private static boolean fromSecret(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        if (e.path("valueFrom").path("secretKeyRef").path("name").asText().equals("nin-secrets")) {
          return true;
        }
        // a value built from a secret defined before it, e.g. password="$(KAFKA_PASSWORD)"
        var reference =
            java.util.regex.Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(e.path("value").asText());
        return reference.find() && secretKey(container, reference.group(1)) != null;
      }
    }
    return false;
  }

  /** The nin-secrets key an env entry (defined before any use) takes its value from, or null. */
  private static String secretKey(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        var ref = e.path("valueFrom").path("secretKeyRef");
        return ref.path("name").asText().equals("nin-secrets") ? ref.path("key").asText() : null;
      }
    }
    return null;
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
