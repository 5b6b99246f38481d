package dev.nin.trainer;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nin.testsupport.RealInfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class SchemaIT {

  @Inject AgroalDataSource dataSource;

  @Test
  void flywayCreatesTheTablesAndIndexesUsersQuery() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      assertThat(
              names(
                  c,
                  "select table_name from information_schema.tables where table_schema = 'public'"))
          .contains(
              "training_run", "run_metric", "checkpoint", "run_summary", "epoch_class_metric");
      assertThat(names(c, "select indexname from pg_indexes where schemaname = 'public'"))
          .contains(
              "training_run_status_created_idx",
              "run_metric_run_step_idx",
              "checkpoint_run_created_idx",
              "checkpoint_servable_created_idx");
    }
  }

  /** The README's "Run history in SQL" block, statement by statement, against the real schema. */
  @Test
  void everyQueryTheReadmeShowsRuns() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("### Run history in SQL");
    int start = readme.indexOf("```sql", section) + "```sql".length();
    String block = readme.substring(start, readme.indexOf("```", start));
    // comments first: they may hold a semicolon
    String code = block.lines().filter(l -> !l.strip().startsWith("--")).collect(joining("\n"));
    List<String> statements = Arrays.stream(code.split(";")).filter(sql -> !sql.isBlank()).toList();
    assertThat(statements).hasSizeGreaterThanOrEqualTo(8);
    try (Connection c = dataSource.getConnection()) {
      for (String sql : statements) {
        try (var rs =
            c.createStatement().executeQuery(sql.replace("<id>", UUID.randomUUID().toString()))) {
          assertThat(rs.getMetaData().getColumnCount()).as(sql).isPositive();
        }
      }
    }
  }

  @Test
  void runSummaryShowsOneRowPerRunWithBestAndFinalAccuracy() throws SQLException {
    UUID run = UUID.randomUUID();
    try (Connection c = dataSource.getConnection()) {
      c.createStatement()
          .execute(
              "insert into training_run (id, name, status, resize, epochs, started_at, finished_at)"
                  + " values ('"
                  + run
                  + "', 'summary', 'SUCCEEDED', 96, 2,"
                  + " now() - interval '100 seconds', now())");
      c.createStatement()
          .execute(
              "insert into run_metric (run_id, scope, split, epoch, step, loss, top1, top5, images,"
                  + " images_per_s) values"
                  + " ('"
                  + run
                  + "', 'epoch', 'test', 0, 10, 0.6, 0.80, 0.99, 1000, null),"
                  + " ('"
                  + run
                  + "', 'epoch', 'test', 1, 20, 0.5, 0.78, 0.995, 1000, null),"
                  + " ('"
                  + run
                  + "', 'epoch', 'train', 0, 10, 0.7, 0.7, 0.98, 6000, 600),"
                  + " ('"
                  + run
                  + "', 'epoch', 'train', 1, 20, 0.6, 0.8, 0.99, 6000, 300)");

      try (var rs =
          c.createStatement()
              .executeQuery(
                  "select status, epochs_done, best_test_top1, final_test_top1, final_test_top5,"
                      + " images_per_s, duration_s from run_summary where id = '"
                      + run
                      + "'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(rs.getInt("epochs_done")).isEqualTo(2);
        assertThat(rs.getDouble("best_test_top1")).isEqualTo(0.80);
        assertThat(rs.getDouble("final_test_top1")).isEqualTo(0.78);
        assertThat(rs.getDouble("final_test_top5")).isEqualTo(0.995);
        // 12,000 images in 10 s + 20 s = 400 images/s over the whole run, not the mean of rates
        assertThat(rs.getDouble("images_per_s"))
            .isEqualTo(400.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rs.getDouble("duration_s")).isBetween(99.0, 101.0);
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void aServableCheckpointMustCarryItsModel() throws SQLException {
    UUID run = UUID.randomUUID();
    try (Connection c = dataSource.getConnection()) {
      c.createStatement().execute("insert into training_run (id) values ('" + run + "')");
      var missingModel =
          "insert into checkpoint (run_id, epoch, step, kind, state_zip, state_sha256)"
              + " values ('"
              + run
              + "', 0, 1, 'epoch', '\\x00', repeat('a', 64))";
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> c.createStatement().execute(missingModel))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("check");
    }
  }

  private static List<String> names(Connection c, String sql) throws SQLException {
    var names = new ArrayList<String>();
    try (var rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
