/** Languages dualnova answers in. The staff language is one of these (Korean by default). */
export const LANGUAGES = ['ko', 'en', 'ja', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages the web app's interface is written in. */
export const UI_LANGUAGES = ['ko', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export const ANSWER_LANGUAGES = ['auto', ...LANGUAGES] as const;
export type AnswerLanguage = (typeof ANSWER_LANGUAGES)[number];
