import type { Language } from '../lang/languages.js';
import type { LanePlan } from './types.js';

/**
 * One lane when the customer's language is the staff language; otherwise a staff lane (for the
 * agent to verify) and a customer lane (to send), answered concurrently. The staff lane comes
 * first so clients can lay lanes out in the order given.
 */
export function planLanes(answerLanguage: Language, staffLanguage: Language): LanePlan[] {
  if (answerLanguage === staffLanguage) return [{ lane: answerLanguage, role: 'customer' }];
  return [
    { lane: staffLanguage, role: 'staff' },
    { lane: answerLanguage, role: 'customer' },
  ];
}

export interface AnswerPlanInput {
  /** The language the question is written in (detected). */
  questionLanguage: Language;
  /** What the client asked for; `auto` answers in the question's language. */
  answerLanguage: Language | 'auto';
  staffLanguage: Language;
}

export interface AnswerPlan {
  questionLanguage: Language;
  /** The customer's language: the language the customer lane is written in. */
  answerLanguage: Language;
  lanes: LanePlan[];
  /**
   * The language to translate the question into before searching, or null. The knowledge base and
   * the agent work in the staff language, so a question in any other language is translated to it
   * (and searched in both languages).
   */
  translateQuestionTo: Language | null;
}

export function planAnswer({ questionLanguage, answerLanguage, staffLanguage }: AnswerPlanInput): AnswerPlan {
  const answer = answerLanguage === 'auto' ? questionLanguage : answerLanguage;
  return {
    questionLanguage,
    answerLanguage: answer,
    lanes: planLanes(answer, staffLanguage),
    translateQuestionTo: questionLanguage === staffLanguage ? null : staffLanguage,
  };
}
