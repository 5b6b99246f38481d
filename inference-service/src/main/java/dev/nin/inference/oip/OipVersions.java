package dev.nin.inference.oip;

import dev.nin.inference.config.InferenceConfig;
import dev.nin.inference.models.ActiveModel;
import dev.nin.inference.models.CheckpointCatalog;
import dev.nin.inference.models.CheckpointRejectedException;
import dev.nin.inference.models.ModelVersion;
import dev.nin.inference.models.UnknownCheckpointException;
import dev.nin.inference.models.VersionCache;
import dev.nin.inference.prediction.PredictionService;
import dev.nin.inference.prediction.ScoredImages;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's versions as the protocol sees them: every servable checkpoint (the serving one
 * first), and inference with a version other than the serving one through the {@link VersionCache}.
 * Blocking (SQL, model loads): worker threads only.
 */
@ApplicationScoped
class OipVersions {

  /** The versions listed in metadata: the newest servable checkpoints. */
  static final int LISTED = 100;

  private final ActiveModel active;
  private final CheckpointCatalog catalog;
  private final VersionCache cache;
  private final PredictionService predictions;

  OipVersions(
      ActiveModel active,
      CheckpointCatalog catalog,
      VersionCache cache,
      PredictionService predictions) {
    this.active = active;
    this.catalog = catalog;
    this.cache = cache;
    this.predictions = predictions;
  }

  /** The serving version first, then the newest other servable checkpoints. */
  List<ModelVersion> servable() {
    var listed = new ArrayList<ModelVersion>();
    active.version().ifPresent(listed::add);
    try {
      for (ModelVersion v : catalog.candidates(InferenceConfig.Policy.LATEST, LISTED)) {
        if (listed.stream().noneMatch(l -> l.checkpointId() == v.checkpointId())) {
          listed.add(v);
        }
      }
    } catch (SQLException e) {
      // the catalogue is down: the serving version still serves
    }
    return listed;
  }

  /** The servable checkpoint a version names, or a 404. */
  ModelVersion require(String version) {
    var other = OipModel.otherVersion(active, version);
    if (other.isEmpty()) {
      return OipModel.requireServing(active, version);
    }
    try {
      return catalog.find(other.getAsLong()).orElseThrow(() -> notFound(version));
    } catch (SQLException e) {
      throw new OipException(503, "the checkpoint catalogue is unreachable: retry shortly");
    }
  }

  /** Scores with checkpoint {@code id}, loaded on demand. */
  ScoredImages score(long id, OipTensors.Images images, String transport, String requestId) {
    try (var lease = cache.lease(id)) {
      return predictions.scoreWith(lease, images.pixels(), images.count(), transport, requestId);
    } catch (UnknownCheckpointException e) {
      throw notFound(String.valueOf(id));
    } catch (CheckpointRejectedException e) {
      throw new OipException(
          404, "version " + id + " of model nin cannot be served: " + e.getMessage());
    } catch (SQLException e) {
      throw new OipException(503, "the checkpoint catalogue is unreachable: retry shortly");
    }
  }

  private static OipException notFound(String version) {
    return new OipException(404, "version '" + version + "' of model nin does not exist");
  }
}
