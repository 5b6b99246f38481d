package dev.nin.tools.chaos;

/**
 * One case of the bad-input catalogue: where it is sent, what it is, what must happen.
 *
 * @param area REST, gRPC, Kafka or checkpoint
 * @param expected the outcome the product promises, e.g. {@code 400 problem+json}
 * @param attempt sends the input and describes what happened, in the same words
 */
public record BadInput(String area, String name, String expected, Attempt attempt) {

  /** Sends one bad input; returns the observed outcome. */
  @FunctionalInterface
  public interface Attempt {
    Outcome run() throws Exception;
  }

  /** What happened: a description comparable to {@code expected}, and whether it was a 5xx. */
  public record Outcome(String observed, boolean serverError) {
    static Outcome of(String observed) {
      return new Outcome(observed, false);
    }
  }
}
