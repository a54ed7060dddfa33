import type { Language } from '../lang/languages.js';
import type { LanePlan } from './types.js';

/**
 * One lane when the customer's language is the staff language; otherwise a staff lane (for the
 * agent to verify) and a customer lane (to send), answered concurrently.
 */
export function planLanes(answerLanguage: Language, staffLanguage: Language): LanePlan[] {
  if (answerLanguage === staffLanguage) return [{ lane: answerLanguage, role: 'customer' }];
  return [
    { lane: staffLanguage, role: 'staff' },
    { lane: answerLanguage, role: 'customer' },
  ];
}
