package dev.nin.trainer.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.nin.core.training.Recipe;
import dev.nin.testsupport.RealInfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(RealInfrastructureResource.class)
class RunResourceIT {

  @Inject AgroalDataSource dataSource;

  private static RequestSpecification authorized() {
    return given().header("Authorization", "Bearer test-token").contentType(ContentType.JSON);
  }

  @Test
  void anEmptyBodyQueuesARunWithTheChaptersRecipe() {
    String location =
        authorized()
            .body("{}")
            .post("/api/runs")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/runs/"))
            .body("status", equalTo("QUEUED"))
            .body("hyperparameters.learningRate", equalTo(0.001f))
            .body("hyperparameters.batchSize", equalTo(128))
            .body("hyperparameters.epochs", equalTo(10))
            .body("hyperparameters.resize", equalTo(224))
            .body("hyperparameters.optimizer", equalTo("adam"))
            .body("hyperparameters.oneByOneConvs", equalTo(2))
            .body("hyperparameters.dropout", equalTo(0.5f))
            .body("hyperparameters.recipe", equalTo("default"))
            // the recipe's options, resolved and kept with the run
            .body("hyperparameters.warmupSteps", equalTo(Recipe.DEFAULT.warmupSteps()))
            .body("hyperparameters.schedule", equalTo("constant"))
            .body(
                "hyperparameters.labelSmoothing", equalTo((float) Recipe.DEFAULT.labelSmoothing()))
            .body("hyperparameters.averageDecay", equalTo((float) Recipe.DEFAULT.averageDecay()))
            .body("hyperparameters.weightDecay", equalTo(0f))
            .body("hyperparameters.cropPadding", equalTo(0))
            .body("hyperparameters.precision", equalTo("fp32"))
            .body("neverPredictedClasses", equalTo(java.util.List.of()))
            .extract()
            .header("Location");

    given().get(location).then().statusCode(200).body("status", equalTo("QUEUED"));
  }

  @Test
  void aRunWithChosenHyperparametersKeepsThemAndIsListed() {
    String id =
        authorized()
            .body(
                """
                {"name": "ablation-1x1", "resize": 96, "epochs": 2, "oneByOneConvs": 1,
                 "trainLimit": 10000, "testLimit": 2000, "seed": 7, "optimizer": "SGD",
                 "learningRate": 0.05, "augment": true, "checkpointEverySteps": 100,
                 "recipe": "chapter", "warmupSteps": 200, "schedule": "Cosine",
                 "labelSmoothing": 0.1, "averageDecay": 0.999, "precision": "BF16",
                 "weightDecay": 0.05, "cropPadding": 2}
                """)
            .post("/api/runs")
            .then()
            .statusCode(201)
            .body("hyperparameters.optimizer", equalTo("sgd"))
            .body("hyperparameters.recipe", equalTo("chapter"))
            .body("hyperparameters.warmupSteps", equalTo(200))
            .body("hyperparameters.schedule", equalTo("cosine"))
            .body("hyperparameters.labelSmoothing", equalTo(0.1f))
            .body("hyperparameters.averageDecay", equalTo(0.999f))
            .body("hyperparameters.weightDecay", equalTo(0.05f))
            .body("hyperparameters.cropPadding", equalTo(2))
            .body("hyperparameters.precision", equalTo("bf16"))
            .body("hyperparameters.trainLimit", equalTo(10000))
            .extract()
            .path("id");

    given().get("/api/runs?status=queued").then().statusCode(200).body("id", hasItem(id));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"resize\": 66}|resize|no longer fit|[67, 512]",
        "{\"batchSize\": 0}|batchSize|batchSize|[1, 4096]",
        "{\"learningRate\": -1}|learningRate|learningRate|(0, 1]",
        "{\"optimizer\": \"rmsprop\"}|optimizer|optimizer|adam or sgd",
        "{\"dropout\": 1.0}|dropout|dropout|[0, 1)",
        "{\"epochs\": 100000}|epochs|epochs|[1, 1000]",
        "{\"trainLimit\": 60001}|trainLimit|trainLimit|[1, 60000]",
        "{\"colour\": \"red\"}|colour|unknown field|learningRate",
        "{\"recipe\": \"fast\"}|recipe|default or chapter|fast",
        "{\"warmupSteps\": 4691}|warmupSteps|warmupSteps|[0, 4690]",
        "{\"schedule\": \"linear\"}|schedule|constant, cosine or step|linear",
        "{\"labelSmoothing\": 1}|labelSmoothing|labelSmoothing|[0, 1)",
        "{\"averageDecay\": -0.5}|averageDecay|averageDecay|[0, 1)",
        "{\"weightDecay\": 1}|weightDecay|weightDecay|[0, 1)",
        "{\"cropPadding\": 9}|cropPadding|cropPadding|[0, 8]",
        "{\"precision\": \"fp16\"}|precision|fp32, bf16 or auto|fp16",
        "{\"epochs\": \"many\"}|epochs|must be an integer|epochs",
        "{\"epochs\": \"3\"}|epochs|must be an integer|epochs",
        "{\"epochs\": 1.5}|epochs|epochs|epochs",
        "{\"name\": \"a\\u0000b\"}|name|control characters|name",
        "{\"name\": \"a\\ud800b\"}|name|unpaired surrogates|name",
      })
  void outOfRangeOrUnknownFieldsGet400ProblemJsonNamingTheField(
      String body, String field, String detail, String detail2) {
    authorized()
        .body(body)
        .post("/api/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("field", equalTo(field))
        .body("detail", containsString(detail))
        .body("detail", containsString(detail2));
  }

  @Test
  void startingARunNeedsTheToken() {
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/runs")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer");
    given()
        .header("Authorization", "Bearer not-the-token")
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/runs")
        .then()
        .statusCode(403)
        .body("type", startsWith("https://nin.dev/problems/forbidden"));
  }

  @Test
  void cancellingAQueuedRunEndsItAndNeedsTheToken() {
    String id =
        authorized().body("{}").post("/api/runs").then().statusCode(201).extract().path("id");

    given().post("/api/runs/" + id + "/cancel").then().statusCode(401);
    authorized()
        .post("/api/runs/" + id + "/cancel")
        .then()
        .statusCode(202)
        .body("status", equalTo("CANCELLED"));
    given()
        .get("/api/runs/" + id)
        .then()
        .body("status", equalTo("CANCELLED"))
        .body("finishedAt", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  void unknownAndMalformedRunIdsGet404And400() {
    given()
        .get("/api/runs/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().get("/api/runs/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
    authorized()
        .body("{not json")
        .post("/api/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  /** Admission control: refused with 422 before the run is queued, so nothing is published. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"resize\": 512, \"epochs\": 1000, \"batchSize\": 4096}|memory|563011 MB",
        "{\"resize\": 224, \"batchSize\": 1024}|memory|nin.trainer.budget.memory-mb",
        "{\"resize\": 67, \"epochs\": 1000}|kafka|nin.trainer.budget.kafka-mb",
      })
  void aRunOverABudgetIs422NamingTheBudgetAndTheExcessAndIsNotQueued(
      String body, String budget, String detail) throws Exception {
    long before = runCount();
    authorized()
        .body(body)
        .post("/api/runs")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", containsString("over-budget-" + budget))
        .body("detail", containsString(detail))
        .body("detail", containsString("over by"));
    org.assertj.core.api.Assertions.assertThat(runCount()).isEqualTo(before);
  }

  private long runCount() throws Exception {
    try (var c = dataSource.getConnection();
        var rs = c.createStatement().executeQuery("select count(*) from training_run")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** JAX-RS answers 404 for a query parameter it cannot convert: the endpoint seems gone. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/runs?limit=abc|limit",
        "/api/runs?limit=1.5|limit",
        "/api/runs?limit=99999999999|limit",
        "/api/runs?limit=0|limit",
        "/api/runs?status=sleeping|status",
        "/api/model/summary?resize=abc|resize",
        "/api/model/summary?resize=99999999999|resize",
        "/api/model/summary?oneByOneConvs=two|oneByOneConvs",
        "/api/model/summary?batchSize=1e3|batchSize",
      })
  void malformedQueryParametersAre400NamingTheParameterNot404(String path, String parameter) {
    given()
        .get(path)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo(parameter));
  }

  @Test
  void openApiDocumentsEveryEndpoint() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body("paths.'/api/runs'.post.summary", containsString("Queue a training run"))
        .body("paths.'/api/runs'.get", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/api/runs/{id}'.get", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/api/runs/{id}/metrics'.get", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/api/runs/{id}/cancel'.post", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/api/model/summary'.get", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  void theModelSummaryIsTheSeedsTable() {
    given()
        .get("/api/model/summary")
        .then()
        .statusCode(200)
        .body("totalParams", equalTo(1992166))
        .body("layers[0].name", equalTo("Conv2D-1"))
        .body("table", containsString("Total params: 1,992,166"));
    given()
        .get("/api/model/summary?resize=66")
        .then()
        .statusCode(400)
        .body("field", equalTo("resize"));
    given()
        .get("/api/model/summary?resize=100000")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("resize"))
        .body("detail", containsString("at most 512"));
  }
}
