package dev.nin.trainer.runs;

import dev.nin.servicekit.web.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A run over one of the trainer's budgets: 422 problem JSON naming the budget and the excess. */
public class OverBudgetMapper {

  @ServerExceptionMapper
  public Response overBudget(OverBudgetException e) {
    return Problem.response(
            422, "over-budget-" + e.budget(), "Over the " + e.budget() + " budget", e.getMessage())
        .build();
  }
}
