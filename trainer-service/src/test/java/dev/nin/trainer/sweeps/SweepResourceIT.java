package dev.nin.trainer.sweeps;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import dev.nin.testsupport.RealInfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweeps API without a training worker: what is queued, shown, refused and cancelled. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class SweepResourceIT {

  @Inject AgroalDataSource dataSource;

  private static RequestSpecification authorized() {
    return given().header("Authorization", "Bearer test-token").contentType(ContentType.JSON);
  }

  private static final String SWEEP =
      """
      {"name": "api-sweep", "base": {"resize": 67, "epochs": 2, "trainLimit": 500},
       "space": {"learningRate": [0.001, 0.002], "oneByOneConvs": [1, 2]},
       "parallelism": 1, "earlyStopping": {"rule": "median", "rungs": [1]}}
      """;

  @Test
  void aSweepQueuesItsTrialsAsTaggedRunsAndShowsThem() throws Exception {
    String location =
        authorized()
            .body(SWEEP)
            .post("/api/sweeps")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/sweeps/"))
            .body("status", equalTo("QUEUED"))
            .body("trials", equalTo(4))
            .body("parallelism", equalTo(1))
            .body("earlyStopping.rule", equalTo("median"))
            .body("earlyStopping.rungs", equalTo(List.of(1)))
            .body("trialStatuses.QUEUED", equalTo(4))
            .body("trialsByRank", hasSize(4))
            .body("trialsByRank.status", everyItem(equalTo("QUEUED")))
            .body("trialsByRank.trial", equalTo(List.of(1, 2, 3, 4)))
            .body("trialsByRank[1].values.learningRate", equalTo(0.001f))
            .body("trialsByRank[1].values.oneByOneConvs", equalTo(2))
            .extract()
            .header("Location");
    String id = location.substring(location.lastIndexOf('/') + 1);

    // each trial is an ordinary run, tagged with its sweep and trial number
    String runId =
        given().get(location).then().statusCode(200).extract().path("trialsByRank[2].runId");
    given()
        .get("/api/runs/" + runId)
        .then()
        .statusCode(200)
        .body("sweepId", equalTo(id))
        .body("sweepTrial", equalTo(3))
        .body("name", equalTo("api-sweep · trial 3"))
        .body("hyperparameters.learningRate", equalTo(0.002f))
        .body("hyperparameters.oneByOneConvs", equalTo(1))
        .body("hyperparameters.resize", equalTo(67));
    assertThat(rows("select trial from sweep_summary where sweep_id = '" + id + "' order by trial"))
        .containsExactly("1", "2", "3", "4");
    given().get("/api/sweeps").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));
  }

  @Test
  void cancellingASweepCancelsItsQueuedTrials() {
    String id =
        authorized().body(SWEEP).post("/api/sweeps").then().statusCode(201).extract().path("id");

    authorized()
        .post("/api/sweeps/" + id + "/cancel")
        .then()
        .statusCode(202)
        .body("status", equalTo("CANCELLED"))
        .body("trialsByRank.status", everyItem(equalTo("CANCELLED")));
  }

  @Test
  void badSweepsAreRefusedWithProblemJsonAndQueueNothing() throws Exception {
    long before = count();
    authorized()
        .body("{\"space\": {\"learningRate\": [0.001, 2.0]}}")
        .post("/api/sweeps")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("learningRate"))
        .body("detail", containsString("trial 2"));
    authorized()
        .body("{\"space\": {\"colour\": [\"red\"]}}")
        .post("/api/sweeps")
        .then()
        .statusCode(400)
        .body("field", equalTo("space.colour"));
    authorized()
        .body("{\"space\": {\"dropout\": [0.1]}, \"budget\": 3}")
        .post("/api/sweeps")
        .then()
        .statusCode(400);
    // one trial over the memory budget refuses the whole sweep
    authorized()
        .body("{\"space\": {\"resize\": [67, 512]}, \"base\": {\"batchSize\": 4096}}")
        .post("/api/sweeps")
        .then()
        .statusCode(422)
        .contentType("application/problem+json");
    given().contentType(ContentType.JSON).body(SWEEP).post("/api/sweeps").then().statusCode(401);
    assertThat(count()).as("no trial of a refused sweep was queued").isEqualTo(before);
    given().get("/api/sweeps/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
    given()
        .get("/api/sweeps/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  private long count() throws Exception {
    return Long.parseLong(rows("select count(*) from training_run").get(0));
  }

  private List<String> rows(String sql) throws Exception {
    try (var c = dataSource.getConnection();
        var rs = c.createStatement().executeQuery(sql)) {
      var rows = new ArrayList<String>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }
}
