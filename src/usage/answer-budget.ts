import type { Admission, Budgets } from './budgets.js';
import type { AnswerEstimator, AnswerShape } from './estimate.js';

/** What the chat use case asks before any model call (src/chat knows budgets only through this). */
export interface AnswerBudget {
  /** Full, overview-only, or throws BudgetExhaustedError (HTTP 429). */
  admit(request: AnswerShape & { userId: string | null }): Promise<Admission>;
}

/** The daily budgets, with each answer's reservation estimated from its shape. */
export class DailyAnswerBudget implements AnswerBudget {
  constructor(
    private readonly budgets: Budgets,
    private readonly estimator: AnswerEstimator,
  ) {}

  admit(request: AnswerShape & { userId: string | null }): Promise<Admission> {
    return this.budgets.admit(request.userId, this.estimator.estimate(request));
  }
}
