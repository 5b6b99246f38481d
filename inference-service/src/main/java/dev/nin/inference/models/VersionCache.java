package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Checkpoints asked for by version (their id) besides the serving one, so a user can compare two on
 * live traffic without a pin: loaded on demand through the same checks as any model (SHA-256, load,
 * warm-up), kept in a least-recently-used cache of {@code nin.inference.versions.cache-size}
 * models, and closed when evicted once their last call ends (leases, as for the active model). The
 * cache's size and the bytes of the zips it holds are gauges.
 */
@ApplicationScoped
public class VersionCache {

  private static final Logger LOG = Logger.getLogger(VersionCache.class);

  private final ActiveModel active;
  private final CheckpointCatalog catalog;
  private final ModelLoader loader;
  private final int capacity;
  private final Map<Long, Cached> cached = new LinkedHashMap<>(16, 0.75f, true);

  private record Cached(ServableModel model, long zipBytes) {}

  VersionCache(
      ActiveModel active,
      CheckpointCatalog catalog,
      ModelLoader loader,
      InferenceConfig config,
      MeterRegistry registry) {
    this.active = active;
    this.catalog = catalog;
    this.loader = loader;
    this.capacity = config.versions().cacheSize();
    Gauge.builder("nin_inference_version_cache_models", this, VersionCache::size)
        .description("versions loaded on demand besides the serving one")
        .register(registry);
    Gauge.builder("nin_inference_version_cache_bytes", this, VersionCache::bytes)
        .description("bytes of the SavedModel zips of the versions loaded on demand")
        .register(registry);
  }

  /**
   * A lease on checkpoint {@code id}: the serving model if it is that one, else a cached or newly
   * loaded copy. Blocking (a load takes seconds): call it from a worker thread only.
   *
   * @throws UnknownCheckpointException no servable checkpoint has that id
   * @throws CheckpointRejectedException it exists but fails the checks any model must pass
   */
  public ActiveModel.Lease lease(long id)
      throws SQLException, CheckpointRejectedException, UnknownCheckpointException {
    var serving = active.lease();
    if (serving.isPresent()) {
      if (serving.get().model().version().checkpointId() == id) {
        return serving.get();
      }
      serving.get().close();
    }
    synchronized (this) {
      // one load at a time: a version asked for by many requests at once is loaded once
      Cached hit = cached.get(id);
      if (hit != null && hit.model().tryAcquire()) {
        return new ActiveModel.Lease(hit.model());
      }
      ModelVersion version = catalog.find(id).orElseThrow(() -> new UnknownCheckpointException(id));
      byte[] zip = catalog.modelZip(id).orElseThrow(() -> new UnknownCheckpointException(id));
      long start = System.nanoTime();
      ServableModel model = loader.load(version, zip);
      LOG.infof(
          "version %d loaded on demand in %d ms (%d kept)",
          id, (System.nanoTime() - start) / 1_000_000, cached.size() + 1);
      model.tryAcquire(); // the caller's lease; the cache holds the model's own
      cached.put(id, new Cached(model, zip.length));
      while (cached.size() > capacity) {
        var eldest = cached.entrySet().iterator().next();
        cached.remove(eldest.getKey());
        eldest.getValue().model().retire(); // closes once its last call ends
      }
      return new ActiveModel.Lease(model);
    }
  }

  synchronized int size() {
    return cached.size();
  }

  synchronized long bytes() {
    return cached.values().stream().mapToLong(Cached::zipBytes).sum();
  }

  @PreDestroy
  synchronized void close() {
    cached.values().forEach(c -> c.model().retire());
    cached.clear();
  }
}
