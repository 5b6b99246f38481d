package dev.nin.trainer.metrics;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Panache queries on {@code epoch_class_metric}; {@link MetricRepository} is their one user. */
@ApplicationScoped
class EpochClassMetrics
    implements PanacheRepositoryBase<EpochClassMetricEntity, EpochClassMetricEntity.Key> {}
