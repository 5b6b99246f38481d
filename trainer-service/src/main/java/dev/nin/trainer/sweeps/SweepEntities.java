package dev.nin.trainer.sweeps;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Panache queries on {@code sweep}; {@link SweepRepository} is their one user. */
@ApplicationScoped
class SweepEntities implements PanacheRepositoryBase<SweepEntity, UUID> {}
