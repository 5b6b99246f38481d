package dev.nin.trainer.training;

import dev.nin.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The dataset files' SHA-256 that ingest stamps on each run record ({@link
 * Topics#DATASET_SHA256_HEADER_PREFIX}), by file name, for the checkpoint's lineage. Only a
 * well-formed digest is taken: a header is input like any other.
 */
final class DatasetHeaders {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_FILES = 4;

  private DatasetHeaders() {}

  static Map<String, String> of(Headers headers) {
    var digests = new TreeMap<String, String>();
    for (Header h : headers) {
      String key = h.key();
      if (key.startsWith(Topics.DATASET_SHA256_HEADER_PREFIX)
          && h.value() != null
          && h.value().length == 64
          && digests.size() < MAX_FILES) {
        String file = key.substring(Topics.DATASET_SHA256_HEADER_PREFIX.length());
        String digest = new String(h.value(), StandardCharsets.US_ASCII);
        if (SHA256_HEX.matcher(digest).matches() && file.length() <= 64) {
          digests.put(file, digest);
        }
      }
    }
    return Map.copyOf(digests);
  }
}
