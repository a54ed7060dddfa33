import type { Language } from './languages.js';

/**
 * Language detection for support messages, by script and a little grammar.
 *
 * Each language gets a score from the characters of its script, weighted by how much meaning one
 * character carries (a Hangul syllable or a Han character is worth about two and a half Latin
 * letters), and doubled when the text also shows that language's grammar: Korean particles and
 * verb endings, Japanese hiragana, Chinese function characters, English function words. The
 * grammar is what decides mixed text: "Starfall Blade 환불해주세요" is a Korean sentence quoting an
 * English item name (Korean grammar, no English grammar), "How do I get 아리아?" is the reverse.
 *
 * Script rules: any kana makes CJK text Japanese (kanji included); Han without kana or Hangul is
 * Chinese; Hanja inside Korean text counts for Korean. URLs, e-mail addresses, code spans and
 * tokens with digits (order numbers, UIDs, versions) are ignored: they say nothing about the
 * writer's language.
 */

export interface ScriptCounts {
  hangul: number;
  /** Compatibility jamo such as ㅋㅋ or ㅠㅠ, worth half a syllable. */
  jamo: number;
  hiragana: number;
  katakana: number;
  han: number;
  latin: number;
  latinWords: number;
  englishFunctionWords: number;
}

export interface LanguageAnalysis {
  /** null when the text has no letters at all (digits, punctuation, emoji). */
  language: Language | null;
  scores: Record<Language, number>;
  counts: ScriptCounts;
  /** True when a second language scored too (a quoted name, code-switching). */
  mixed: boolean;
  /** The best score's share of all scores, 0–1. */
  confidence: number;
}

const NOISE = [
  /\bhttps?:\/\/\S+/giu,
  /\bwww\.\S+/giu,
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[A-Za-z]{2,}/gu,
  /`[^`]*`/gu,
  // Order numbers, UIDs, versions, error codes: any word that contains a digit.
  /[A-Za-z_\-.]*\d[\w\-.]*/gu,
];

const HANGUL_SYLLABLE = /[\uac00-\ud7af]/gu;
const HANGUL_JAMO = /[\u1100-\u11ff\u3130-\u318f]/gu;
const HIRAGANA = /[\u3041-\u309f]/gu;
const KATAKANA = /[\u30a0-\u30ff\u31f0-\u31ff]/gu;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]/gu;
const LATIN_LETTER = /[A-Za-z\u00c0-\u024f]/gu;
const LATIN_WORD = /[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?/gu;
const HANGUL_RUN = /[\uac00-\ud7af]+/gu;

/** Common English words that carry grammar rather than names: two of them make an English sentence. */
const ENGLISH_FUNCTION_WORDS = new Set(
  `a an the i me my mine we our you your he she it its they them their this that these those
   is are was were be been am do does did have has had can could will would should shall may might must
   not no don't doesn't didn't can't won't isn't aren't wasn't i'm it's i've i'll
   how what why when where which who whom whose there here
   to of in on at for from with by about into after before since until but and or if so than then
   get got please help want need`
    .split(/\s+/u)
    .filter((word) => word !== ''),
);

// A Hangul word ending in a particle or a verb ending: the sentence's grammar is Korean.
const KOREAN_GRAMMAR =
  /(?:요|다|까|죠|니다|세요|나요|네요|지요|습니까|는데|은|는|이|가|을|를|에|에서|으로|로|의|도|만|와|과|랑|께|한테|까지|부터|해|줘|고|면|서)$/u;

// Characters that carry Chinese grammar (pronouns, particles, negation, question words).
const CHINESE_GRAMMAR = /[的了吗呢吧是在我你他她们这那么什没有不要想能会可请谢怎为给把被还也都就]/u;

// Weights per character: roughly how many "Latin letters" of meaning one character carries, divided by 2.5.
const WEIGHTS = { hangul: 1, jamo: 0.5, kana: 0.7, han: 1.2, latin: 0.4 } as const;

const LANGUAGE_ORDER: Language[] = ['ko', 'ja', 'zh', 'en'];

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function stripNoise(text: string): string {
  let cleaned = text.normalize('NFKC');
  for (const pattern of NOISE) cleaned = cleaned.replace(pattern, ' ');
  return cleaned;
}

export function scriptCounts(text: string): ScriptCounts {
  const cleaned = stripNoise(text);
  const words = cleaned.match(LATIN_WORD) ?? [];
  return {
    hangul: count(cleaned, HANGUL_SYLLABLE),
    jamo: count(cleaned, HANGUL_JAMO),
    hiragana: count(cleaned, HIRAGANA),
    katakana: count(cleaned, KATAKANA),
    han: count(cleaned, HAN),
    latin: count(cleaned, LATIN_LETTER),
    latinWords: words.length,
    englishFunctionWords: words.filter((word) => ENGLISH_FUNCTION_WORDS.has(word.toLowerCase().replace('’', "'"))).length,
  };
}

/** Scores, counts and the winner; see the module comment for the rules. */
export function analyzeLanguage(text: string): LanguageAnalysis {
  const counts = scriptCounts(text);
  const cleaned = stripNoise(text);
  const kana = counts.hiragana + counts.katakana;

  let ko = counts.hangul * WEIGHTS.hangul + counts.jamo * WEIGHTS.jamo;
  let ja = kana > 0 ? kana * WEIGHTS.kana + counts.han * WEIGHTS.han : 0;
  let zh = kana === 0 ? counts.han * WEIGHTS.han : 0;
  let en = counts.latin * WEIGHTS.latin;
  // Hanja in a Korean sentence counts for Korean too (Chinese text rarely contains Hangul); grammar decides.
  if (kana === 0 && counts.hangul > 0) ko += counts.han * WEIGHTS.han;

  const koreanGrammar = (cleaned.match(HANGUL_RUN) ?? []).some((word) => KOREAN_GRAMMAR.test(word));
  const englishGrammar =
    counts.englishFunctionWords >= 2 ||
    (counts.englishFunctionWords >= 1 && counts.englishFunctionWords / Math.max(1, counts.latinWords) >= 0.25);
  if (koreanGrammar) ko *= 2;
  if (counts.hiragana > 0) ja *= 2;
  if (zh > 0 && CHINESE_GRAMMAR.test(cleaned)) zh *= 2;
  if (englishGrammar) en *= 2;

  const scores: Record<Language, number> = { ko: round(ko), en: round(en), ja: round(ja), zh: round(zh) };
  const total = ko + en + ja + zh;
  if (total === 0) return { language: null, scores, counts, mixed: false, confidence: 0 };
  // Ties go to the CJK language: a CJK sentence quoting a Latin name is the common case here.
  let best: Language = 'ko';
  for (const language of LANGUAGE_ORDER) if (scores[language] > scores[best]) best = language;
  const scored = LANGUAGE_ORDER.filter((language) => scores[language] > 0).length;
  return { language: best, scores, counts, mixed: scored > 1, confidence: round(scores[best] / total) };
}

/**
 * The language a support message is written in. Returns `fallback` when the text has no letters
 * (an order number, an emoji, punctuation).
 */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  return analyzeLanguage(text).language ?? fallback;
}

/** Whether the text has any letters a language could be detected from. */
export function hasLetters(text: string): boolean {
  return analyzeLanguage(text).language !== null;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
