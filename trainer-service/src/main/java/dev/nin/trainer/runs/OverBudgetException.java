package dev.nin.trainer.runs;

/** A run over one of the trainer's budgets: 422, naming the budget and by how much. */
public class OverBudgetException extends RuntimeException {

  private final String budget;

  public OverBudgetException(String budget, String detail) {
    super(detail);
    this.budget = budget;
  }

  public String budget() {
    return budget;
  }
}
