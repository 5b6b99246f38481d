package dev.nin.dataset;

import java.nio.file.Path;

/** A data set file that is missing, truncated, corrupt or not the official one. */
public class DatasetException extends Exception {

  private final transient Path file;

  public DatasetException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public DatasetException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
