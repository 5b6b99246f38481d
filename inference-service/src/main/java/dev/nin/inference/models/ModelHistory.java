package dev.nin.inference.models;

import dev.nin.inference.config.InferenceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last loads, rejections and pins, newest first (bounded: a long-lived replica stays small).
 */
@ApplicationScoped
public class ModelHistory {

  private final int capacity;
  private final Deque<ModelEvent> events = new ArrayDeque<>();

  ModelHistory(InferenceConfig config) {
    this.capacity = config.historySize();
  }

  synchronized void add(ModelEvent event) {
    events.addFirst(event);
    while (events.size() > capacity) {
      events.removeLast();
    }
  }

  public synchronized List<ModelEvent> newestFirst() {
    return new ArrayList<>(events);
  }
}
