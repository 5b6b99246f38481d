package dev.nin.servicekit.web;

/** A request field with a value out of range, or a field the API does not know: HTTP 400. */
public class InvalidFieldException extends RuntimeException {

  private final String field;

  public InvalidFieldException(String field, String detail) {
    super(detail);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
