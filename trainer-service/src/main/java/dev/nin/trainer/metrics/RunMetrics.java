package dev.nin.trainer.metrics;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Panache queries on {@code run_metric}; {@link MetricRepository} is their one user. */
@ApplicationScoped
class RunMetrics implements PanacheRepositoryBase<RunMetricEntity, Long> {}
