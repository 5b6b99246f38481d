package dev.nin.trainer.runs;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Panache queries on {@code training_run}; {@link RunRepository} is their one user. */
@ApplicationScoped
class RunEntities implements PanacheRepositoryBase<RunEntity, UUID> {}
