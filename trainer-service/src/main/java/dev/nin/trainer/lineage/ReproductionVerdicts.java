package dev.nin.trainer.lineage;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Panache queries on {@code reproduction_verdict}; {@link Reproductions} is their one user. */
@ApplicationScoped
class ReproductionVerdicts
    implements PanacheRepositoryBase<ReproductionVerdictEntity, ReproductionVerdictEntity.Key> {}
