package dev.nin.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The deployment files of this repository, rendered and parsed. */
final class Manifests {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path CHECK = ROOT.resolve("deploy/check");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** The validator's npm packages, installed from package-lock.json once. */
  static void installValidator() throws Exception {
    if (!Files.isDirectory(CHECK.resolve("node_modules/kubernetes-models"))) {
      Command.run(CHECK, List.of("npm", "ci", "--no-audit", "--no-fund")).orFail("npm ci");
    }
  }

  /** {@code kubectl kustomize k8s/overlays/<overlay>} into a file under target/. */
  static Path render(String overlay) throws Exception {
    var rendered =
        Command.run(ROOT, List.of("kubectl", "kustomize", "k8s/overlays/" + overlay))
            .orFail("kubectl kustomize k8s/overlays/" + overlay);
    Path file = Path.of("target", "k8s-" + overlay + ".yaml").toAbsolutePath();
    Files.createDirectories(file.getParent());
    Files.writeString(file, rendered.output());
    return file;
  }

  static Command validate(String... args) throws Exception {
    var command =
        new java.util.ArrayList<>(List.of("node", CHECK.resolve("validate.mjs").toString()));
    command.addAll(List.of(args));
    return Command.run(ROOT, command);
  }

  static List<JsonNode> documents(Path file) throws IOException {
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll().stream()
          .filter(d -> d != null && !d.isNull() && !d.isMissingNode())
          .toList();
    }
  }

  /** docker-compose.yml with its anchors and merge keys resolved (SnakeYAML does "<<"). */
  static JsonNode compose() throws IOException {
    Object loaded =
        new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    return YAML.valueToTree(loaded);
  }

  static JsonNode find(List<JsonNode> documents, String kind, String name) {
    return documents.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }
}
