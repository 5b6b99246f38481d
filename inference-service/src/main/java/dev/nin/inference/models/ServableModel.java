package dev.nin.inference.models;

import dev.nin.core.export.SavedModelPredictor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model and the leases on it. The active-model slot holds one lease; every model call
 * holds another. Retiring the model gives up the slot's lease, so the TensorFlow session closes
 * exactly when the last in-flight call finishes, never under one.
 */
public final class ServableModel {

  private final ModelVersion version;
  private final SavedModelPredictor predictor;
  private final AtomicInteger leases = new AtomicInteger(1);

  ServableModel(ModelVersion version, SavedModelPredictor predictor) {
    this.version = version;
    this.predictor = predictor;
  }

  public ModelVersion version() {
    return version;
  }

  /** Probabilities and logits for {@code count} raw 28×28 images; only while holding a lease. */
  public SavedModelPredictor.Scores predict(byte[] pixels, int count) {
    return predictor.scores(pixels, count);
  }

  /** A new lease, unless the model has already closed (then the caller looks again). */
  boolean tryAcquire() {
    while (true) {
      int held = leases.get();
      if (held == 0) {
        return false;
      }
      if (leases.compareAndSet(held, held + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (leases.decrementAndGet() == 0) {
      predictor.close();
    }
  }

  /** Gives up the active slot's lease: closes now if idle, else after the last call. */
  void retire() {
    release();
  }
}
