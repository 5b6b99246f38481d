package dev.nin.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nin.contracts.Topics;
import dev.nin.contracts.v1.CheckpointEvent;
import dev.nin.servicekit.kafka.PipelineKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A run of its own (named by the caller) whose checkpoints it writes and announces as the trainer
 * would; the benchmark and the chaos tools use it. For the benchmark every reload is a new row (a
 * copy of one model, made inside PostgreSQL) announced on {@value Topics#CHECKPOINTS} exactly as
 * the trainer does, so the service goes through its whole swap (fetch, SHA-256, unpack, load, warm
 * up, check). Deleted at the end.
 */
public final class CheckpointPublisher implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection db;
  private final PipelineKafka kafka;
  private final KafkaProducer<String, byte[]> producer;
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI model;
  private final UUID run = UUID.randomUUID();
  private long template;

  public CheckpointPublisher(
      String jdbcUrl, String user, String password, String kafka, String serviceUrl)
      throws SQLException {
    this.db = DriverManager.getConnection(jdbcUrl, user, password);
    this.kafka = new PipelineKafka(kafka);
    this.producer = this.kafka.producer("bench-serve");
    this.model = URI.create(serviceUrl.replaceAll("/+$", "") + "/api/model");
  }

  UUID run() {
    return run;
  }

  /** Creates the run and its first checkpoint holding {@code zip}; returns the checkpoint id. */
  public long start(String name, byte[] zip, String sha256, int resize) throws SQLException {
    try (var s =
        db.prepareStatement(
            "insert into training_run (id, name, status, resize, epochs) values (?, ?, 'SUCCEEDED', ?, 1)")) {
      s.setObject(1, run);
      s.setString(2, name);
      s.setInt(3, resize);
      s.executeUpdate();
    }
    template = insert(zip, sha256);
    announce(template);
    return template;
  }

  /**
   * A servable checkpoint row of this run holding {@code zip}, claiming {@code sha256} (which a
   * corrupt checkpoint does not match); not announced.
   */
  public long insert(byte[] zip, String sha256) throws SQLException {
    try (var s =
        db.prepareStatement(
            "insert into checkpoint (run_id, epoch, step, kind, model_zip, model_sha256,"
                + " model_bytes, state_zip, state_sha256)"
                + " values (?, 1, 0, 'epoch', ?, ?, ?, '\\x00'::bytea, repeat('0', 64)) returning id")) {
      s.setObject(1, run);
      s.setBytes(2, zip);
      s.setString(3, sha256);
      s.setLong(4, zip.length);
      try (var rows = s.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** A new checkpoint with the template's model, announced; returns its id. */
  public long publishCopy() throws SQLException {
    long id;
    try (var s =
        db.prepareStatement(
            "insert into checkpoint (run_id, epoch, step, kind, model_zip, model_sha256,"
                + " model_bytes, state_zip, state_sha256)"
                + " select run_id, epoch, step + 1, kind, model_zip, model_sha256, model_bytes,"
                + " state_zip, state_sha256 from checkpoint where id = ? returning id")) {
      s.setLong(1, template);
      try (var rows = s.executeQuery()) {
        rows.next();
        id = rows.getLong(1);
      }
    }
    announce(id);
    return id;
  }

  public void announce(long checkpointId) {
    kafka.ensureTopic(Topics.CHECKPOINTS);
    producer.send(
        new ProducerRecord<>(
            Topics.CHECKPOINTS,
            run.toString(),
            CheckpointEvent.newBuilder()
                .setCheckpointId(checkpointId)
                .setRunId(run.toString())
                .build()
                .toByteArray()));
    producer.flush();
  }

  public long activeCheckpoint() throws IOException, InterruptedException {
    var response =
        http.send(
            HttpRequest.newBuilder(model).GET().build(), HttpResponse.BodyHandlers.ofString());
    var active = JSON.readTree(response.body()).get("active");
    return active == null || active.isNull() ? -1 : active.get("checkpointId").asLong();
  }

  /** Polls GET /api/model until {@code checkpointId} serves; returns how long it took. */
  public Duration awaitActive(long checkpointId, Duration timeout) throws Exception {
    long start = System.nanoTime();
    while (activeCheckpoint() != checkpointId) {
      if (System.nanoTime() - start > timeout.toNanos()) {
        throw new IllegalStateException(
            "checkpoint " + checkpointId + " was not served within " + timeout);
      }
      Thread.sleep(20);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Removes the benchmark's run (its checkpoints go with it) and lets the service re-decide. */
  @Override
  public void close() throws SQLException {
    try (var s = db.prepareStatement("delete from training_run where id = ?")) {
      s.setObject(1, run);
      s.executeUpdate();
    }
    // The service may be serving a deleted copy: point it at what is left (its poll would too).
    try (var s =
            db.prepareStatement(
                "select id from checkpoint where kind = 'epoch' order by created_at desc limit 1");
        var rows = s.executeQuery()) {
      if (rows.next()) {
        announce(rows.getLong(1));
      }
    }
    producer.close();
    db.close();
  }
}
