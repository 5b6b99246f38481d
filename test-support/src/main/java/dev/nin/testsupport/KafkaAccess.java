package dev.nin.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The pipeline's Kafka users and ACLs, applied through a broker's super-user listener with the
 * Admin API: what {@code k8s/base/kafka-access/kafka-access.sh} does with Kafka's command-line
 * tools in compose and Kubernetes, from the same {@code acls.txt}.
 */
public final class KafkaAccess {

  /** The file compose and k8s/ apply, relative to a module's directory. */
  public static final Path ACLS = Path.of("..", "k8s", "base", "kafka-access", "acls.txt");

  private KafkaAccess() {}

  /** Creates (or updates) each user's SCRAM-SHA-512 credential and grants every ACL line. */
  public static void apply(String adminBootstrapServers, Map<String, String> passwords, Path acls)
      throws IOException, ExecutionException, InterruptedException {
    try (var admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adminBootstrapServers))) {
      var credentials = new ArrayList<UserScramCredentialUpsertion>();
      passwords.forEach(
          (user, password) ->
              credentials.add(
                  new UserScramCredentialUpsertion(
                      user,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                      password)));
      admin.alterUserScramCredentials(List.copyOf(credentials)).all().get();
      admin.createAcls(bindings(acls)).all().get();
    }
  }

  /** One binding per operation of every line {@code user resource pattern name operations}. */
  static List<AclBinding> bindings(Path acls) throws IOException {
    var bindings = new ArrayList<AclBinding>();
    for (String line : Files.readAllLines(acls)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] f = trimmed.split("\\s+");
      if (f.length != 5) {
        throw new IllegalArgumentException(acls + ": expected 5 fields in '" + line + "'");
      }
      var resource =
          new ResourcePattern(
              ResourceType.fromString(f[1].toUpperCase(Locale.ROOT)),
              f[3],
              PatternType.fromString(f[2].toUpperCase(Locale.ROOT)));
      for (String operation : f[4].split(",")) {
        var op = AclOperation.fromString(operation.toUpperCase(Locale.ROOT));
        if (op == AclOperation.UNKNOWN || resource.resourceType() == ResourceType.UNKNOWN) {
          throw new IllegalArgumentException(acls + ": unknown name in '" + line + "'");
        }
        bindings.add(
            new AclBinding(
                resource,
                new AccessControlEntry("User:" + f[0], "*", op, AclPermissionType.ALLOW)));
      }
    }
    return bindings;
  }
}
