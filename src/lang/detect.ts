import type { Language } from './languages.js';

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/gu;
const KANA = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/gu;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN = /[A-Za-z\u00c0-\u024f]/gu;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * Detects the language of a support message by script. Any Hangul or Kana at all outweighs Latin,
 * because CJK sentences routinely quote English item names ("Starfall Blade 환불해주세요").
 * Returns `fallback` when the text has no letters.
 */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  const hangul = count(text, HANGUL);
  const kana = count(text, KANA);
  const han = count(text, HAN);
  const latin = count(text, LATIN);
  if (hangul === 0 && kana === 0 && han === 0 && latin === 0) return fallback;
  if (kana > 0 && kana >= hangul) return 'ja';
  if (hangul > 0) return 'ko';
  if (han > 0 && han * 2 >= latin / 4) return 'zh';
  if (han > 0 && latin === 0) return 'zh';
  return 'en';
}
