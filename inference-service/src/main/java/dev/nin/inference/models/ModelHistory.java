package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last loads, rejections and pins, newest first (bounded: a long-lived replica stays small);
 * the whole history goes to {@code serving_event} in SQL.
 */
@ApplicationScoped
public class ModelHistory {

  private final int capacity;
  private final Deque<ModelEvent> events = new ArrayDeque<>();
  private final ServingEventLog log;

  ModelHistory(InferenceConfig config, ServingEventLog log) {
    this.capacity = config.historySize();
    this.log = log;
  }

  /** Keeps the event for {@code GET /api/model} and writes it to {@code serving_event}. */
  void add(ModelEvent event) {
    remember(event);
    log.record(event);
  }

  private synchronized void remember(ModelEvent event) {
    events.addFirst(event);
    while (events.size() > capacity) {
      events.removeLast();
    }
  }

  public synchronized List<ModelEvent> newestFirst() {
    return new ArrayList<>(events);
  }
}
