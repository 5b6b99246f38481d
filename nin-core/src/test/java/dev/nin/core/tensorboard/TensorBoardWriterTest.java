package dev.nin.core.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.Event;

/** The event file TensorFlow's summary ops write, read back record by record, CRCs checked. */
class TensorBoardWriterTest {

  @Test
  void scalarsComeBackFromTheEventFileWithTheirTagsStepsAndValues(@TempDir Path dir)
      throws Exception {
    try (var writer = TensorBoardWriter.open(dir.resolve("run-1"))) {
      writer.scalar("train/loss", 10, 2.25);
      writer.scalar("train/top1", 10, 0.125);
      writer.scalar("test/top1", 20, 0.8125);
      writer.flush();
    }

    List<Path> files;
    try (var listing = Files.list(dir.resolve("run-1"))) {
      files = listing.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .startsWith("events.out.tfevents.")
        .endsWith(".v2");

    List<Event> events = EventFileReader.read(files.get(0));
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    List<Event> scalars = events.stream().filter(Event::hasSummary).toList();
    assertThat(scalars).hasSize(3);
    assertThat(scalars).extracting(Event::getStep).containsExactly(10L, 10L, 20L);
    assertThat(scalars)
        .extracting(e -> e.getSummary().getValue(0).getTag())
        .containsExactly("train/loss", "train/top1", "test/top1");
    assertThat(scalars).allSatisfy(e -> assertThat(e.getWallTime()).isPositive());
    assertThat(EventFileReader.scalars(dir.resolve("run-1")))
        .containsExactly(
            new EventFileReader.Scalar("train/loss", 10, 2.25f),
            new EventFileReader.Scalar("train/top1", 10, 0.125f),
            new EventFileReader.Scalar("test/top1", 20, 0.8125f));
  }

  @Test
  void aFlippedByteIsCaughtByTheRecordCrc(@TempDir Path dir) throws Exception {
    try (var writer = TensorBoardWriter.open(dir)) {
      writer.scalar("loss", 1, 1.0);
    }
    Path file;
    try (var listing = Files.list(dir)) {
      file = listing.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x01; // inside the last record's data
    Files.write(file, bytes);
    assertThatThrownBy(() -> EventFileReader.read(file)).hasMessageContaining("CRC mismatch");
  }

  @Test
  void aWriterThatCannotCreateItsFileThrowsAndLeavesNoNativeObjectOpen(@TempDir Path dir) {
    // one writer opened and closed first, so TensorFlow's one-time allocations are behind us
    TensorBoardWriter.open(dir).close();
    long open = org.bytedeco.javacpp.Pointer.totalCount();

    // /proc/self is a folder (so the writer is built) in which no file can be created
    assertThatThrownBy(() -> TensorBoardWriter.open(Path.of("/proc/self")))
        .isInstanceOf(org.tensorflow.exceptions.TensorFlowException.class);

    assertThat(org.bytedeco.javacpp.Pointer.totalCount())
        .as("native objects (graph, session) still tracked after the failed open")
        .isLessThanOrEqualTo(open);
  }

  @Test
  @Timeout(60) // Graph.close() waits for its sessions: a session left open hangs instead of failing
  void aWriterThatFailsToOpenClosesItsGraphAndSession(@TempDir Path dir) {
    var graph = new AtomicReference<Graph>();
    var session = new AtomicReference<Session>();

    assertThatThrownBy(
            () ->
                TensorBoardWriter.open(
                    dir.resolve("run-1"),
                    (g, s) -> {
                      graph.set(g);
                      session.set(s);
                      throw new IllegalStateException("provoked: no event file");
                    }))
        .hasMessage("provoked: no event file");

    assertThatThrownBy(() -> graph.get().operations().next())
        .as("the graph is closed")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> session.get().runner().run())
        .as("the session is closed")
        .isInstanceOf(IllegalStateException.class);
  }
}
