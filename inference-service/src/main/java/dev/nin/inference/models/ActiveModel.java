package dev.nin.inference.models;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The model that answers now. Swapping is one atomic reference change; nothing waits on it. */
@ApplicationScoped
public class ActiveModel {

  private final AtomicReference<ServableModel> current = new AtomicReference<>();

  /** A lease on the active model, or empty while no model serves. Close it after the call. */
  public Optional<Lease> lease() {
    while (true) {
      ServableModel model = current.get();
      if (model == null) {
        return Optional.empty();
      }
      if (model.tryAcquire()) {
        return Optional.of(new Lease(model));
      }
      // Retired between get() and tryAcquire(): the slot already holds its successor.
    }
  }

  public Optional<ModelVersion> version() {
    return Optional.ofNullable(current.get()).map(ServableModel::version);
  }

  /** Puts {@code next} in the slot; the previous model closes once its calls finish. */
  void swap(ServableModel next) {
    ServableModel previous = current.getAndSet(next);
    if (previous != null) {
      previous.retire();
    }
  }

  @PreDestroy
  void close() {
    ServableModel last = current.getAndSet(null);
    if (last != null) {
      last.retire();
    }
  }

  /** A held lease: the model stays open until {@link #close()}. */
  public record Lease(ServableModel model) implements AutoCloseable {
    @Override
    public void close() {
      model.release();
    }
  }
}
