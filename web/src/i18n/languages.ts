import { ANSWER_LANGUAGES, LANGUAGES } from '../../../src/contract/languages';
import type { AnswerLanguage, TranslateTarget } from '../api/types';

export { isLanguage, LANGUAGES, NATIVE_LANGUAGE_NAMES } from '../../../src/contract/languages';

/** "Answer in": auto (the question's language) first, then every language. */
export { ANSWER_LANGUAGES } from '../../../src/contract/languages';

/** The translator's targets: auto (customer text → staff language, staff text → customer language), then every language. */
export const TRANSLATE_TARGETS: readonly TranslateTarget[] = ['auto', ...LANGUAGES];

export function isAnswerLanguage(value: string): value is AnswerLanguage {
  return (ANSWER_LANGUAGES as readonly string[]).includes(value);
}

export function isTranslateTarget(value: string): value is TranslateTarget {
  return (TRANSLATE_TARGETS as readonly string[]).includes(value);
}
