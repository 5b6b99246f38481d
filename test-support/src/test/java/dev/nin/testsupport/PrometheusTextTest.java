package dev.nin.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String SCRAPE =
      """
      # HELP nin_ingest_batches_published_total
      # TYPE nin_ingest_batches_published_total counter
      nin_ingest_batches_published_total 5.0 # {span_id="96c2b79e",trace_id="10cd7c23"} 1.0 1796195236.498
      nin_trainer_run_step{run="a b"} 12.0
      nin_trainer_runs_queued 3.0
      """;

  @Test
  void theValueIsTheTokenAfterTheSeriesEvenWithAnExemplarBehindIt() {
    assertThat(PrometheusText.value(SCRAPE, "nin_ingest_batches_published_total")).hasValue(5.0);
  }

  @Test
  void aSeriesIsFoundByItsNameAloneOrWithItsLabels() {
    assertThat(PrometheusText.value(SCRAPE, "nin_trainer_run_step")).hasValue(12.0);
    assertThat(PrometheusText.value(SCRAPE, "nin_trainer_run_step{run=\"a b\"}")).hasValue(12.0);
    assertThat(PrometheusText.value(SCRAPE, "nin_trainer_runs_queued")).hasValue(3.0);
  }

  @Test
  void aMissingSeriesOrANamePrefixIsNotAMatch() {
    assertThat(PrometheusText.value(SCRAPE, "nin_trainer_run")).isEmpty();
    assertThat(PrometheusText.value(SCRAPE, "nin_nothing")).isEmpty();
  }
}
