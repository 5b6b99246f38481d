package dev.nin.core.tensorboard;

import dev.nin.core.runtime.NativeCleanup;
import dev.nin.core.runtime.TensorFlowRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.CreateSummaryFileWriter;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Scalars for TensorBoard, written by TensorFlow's own summary ops ({@code SummaryWriter}, {@code
 * CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code FlushSummaryWriter}): the event
 * files are byte for byte what {@code tf.summary.scalar} writes in Python, so TensorBoard reads
 * them as it reads its own. One writer, one folder ({@code tensorboard --logdir} a parent).
 *
 * <p>A small graph of its own, apart from the model's: writing a scalar never touches training. Not
 * thread-safe; one writer a run.
 */
public final class TensorBoardWriter implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final String write;
  private final String flush;
  private final String close;

  private TensorBoardWriter(Path folder, NativeCleanup.Opened natives) {
    Session opened = null;
    try {
      Ops tf = Ops.create(graph);
      // A unique shared name: two writers in one JVM must not share TF's resource.
      SummaryWriter writer =
          tf.summary.summaryWriter(SummaryWriter.sharedName("nin-" + UUID.randomUUID()));
      CreateSummaryFileWriter create =
          tf.summary.createSummaryFileWriter(
              writer,
              tf.constant(folder.toAbsolutePath().toString()),
              tf.constant(100), // max queue: events buffered before a flush
              tf.constant(5_000), // flush every 5 s even when nothing asks
              tf.constant(".v2"));
      step = tf.placeholder(TInt64.class);
      tag = tf.placeholder(TString.class);
      value = tf.placeholder(TFloat32.class);
      write = tf.summary.writeScalarSummary(writer, step, tag, value).op().name();
      flush = tf.summary.flushSummaryWriter(writer).op().name();
      close = tf.summary.closeSummaryWriter(writer).op().name();
      opened = new Session(graph);
      natives.opened(graph, opened);
      opened.runner().addTarget(create).run();
    } catch (RuntimeException | Error e) {
      // e.g. a folder no file can be created in: the caller never gets a writer to close
      NativeCleanup.releaseAfter(e, opened, graph);
      throw e;
    }
    session = opened;
  }

  /** Opens an event file in {@code folder} (created if needed). */
  public static TensorBoardWriter open(Path folder) {
    return open(folder, NativeCleanup.Opened.NOTHING);
  }

  static TensorBoardWriter open(Path folder, NativeCleanup.Opened natives) {
    TensorFlowRuntime.ensureLoaded();
    try {
      Files.createDirectories(folder);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + folder, e);
    }
    return new TensorBoardWriter(folder, natives);
  }

  /** One point of the curve {@code name} (e.g. {@code train/loss}) at {@code globalStep}. */
  public void scalar(String name, long globalStep, double scalar) {
    try (TInt64 s = TInt64.scalarOf(globalStep);
        TString t = TString.scalarOf(name);
        TFloat32 v = TFloat32.scalarOf((float) scalar)) {
      session.runner().feed(step, s).feed(tag, t).feed(value, v).addTarget(write).run();
    }
  }

  /** Pushes buffered events to the file (TensorBoard sees them on its next poll). */
  public void flush() {
    session.runner().addTarget(flush).run();
  }

  @Override
  public void close() {
    try {
      session.runner().addTarget(close).run();
    } finally {
      session.close();
      graph.close();
    }
  }
}
