package dev.nin.system.chaos;

import dev.nin.tools.chaos.TopicCensus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's images counted from both sides: what its train topic held per epoch (the broker's side,
 * {@link TopicCensus}) against what the trainer applied (each epoch checkpoint's digest of its
 * batches and the epoch's image count). A lost batch and a repeated one in the same epoch leave the
 * image count right but not the digest, so both are compared.
 *
 * @param lost images the topic held that the trainer did not apply
 * @param duplicated images applied twice, or batches the topic holds twice
 * @param mismatched epochs whose topic or batches differ from what was expected or applied
 * @param findings one line per difference, for the failure message
 */
record ImageAccounting(long lost, long duplicated, int mismatched, List<String> findings) {

  /** What the trainer applied in one epoch: its checkpoint's batch digest and its image count. */
  record Applied(Long digest, long images) {}

  static ImageAccounting of(
      Map<Integer, TopicCensus.Epoch> topic,
      Map<Integer, Applied> applied,
      int expectedEpochs,
      long imagesPerEpoch) {
    long lost = 0;
    long duplicated = 0;
    int mismatched = 0;
    var findings = new ArrayList<String>();
    for (var entry : topic.entrySet()) {
      int epoch = entry.getKey();
      var held = entry.getValue();
      if (held.images() != imagesPerEpoch) {
        findings.add(
            "epoch %d: the topic holds %d images, expected %d"
                .formatted(epoch, held.images(), imagesPerEpoch));
        mismatched++;
      }
      if (held.duplicates() != 0) {
        findings.add("epoch %d: %d batches published twice".formatted(epoch, held.duplicates()));
        duplicated += held.duplicates();
      }
      var done = applied.getOrDefault(epoch, new Applied(null, 0));
      if (done.images() < held.images()) {
        lost += held.images() - done.images();
      } else {
        duplicated += done.images() - held.images();
      }
      if (done.digest() == null || done.digest() != held.digest()) {
        findings.add(
            "epoch %d: the batches applied differ from the topic's (digest %s, topic %d)"
                .formatted(epoch, done.digest() == null ? "-" : done.digest(), held.digest()));
        mismatched++;
      }
    }
    if (topic.size() != expectedEpochs) {
      findings.add(
          "the topic holds %d epochs, expected %d".formatted(topic.size(), expectedEpochs));
      mismatched++;
    }
    if (lost > 0 || duplicated > 0) {
      findings.add("lost %d images, duplicated %d".formatted(lost, duplicated));
    }
    return new ImageAccounting(lost, duplicated, mismatched, List.copyOf(findings));
  }

  boolean exact() {
    return lost == 0 && duplicated == 0 && mismatched == 0;
  }
}
