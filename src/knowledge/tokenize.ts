/**
 * Search tokens for the local FTS5 index. FTS5's own tokenizers cannot find short Korean words
 * (trigram needs 3 characters; unicode61 keeps whole eojeol such as "환불은"), so text is turned into
 * tokens here and stored space-separated in a `unicode61` table: Hangul, kana and han runs become
 * overlapping character bigrams, everything else lower-cased words of letters and digits.
 */

type CharClass = 'hangul' | 'cjk' | 'word' | 'separator';

const HANGUL = /\p{Script=Hangul}/u;
const OTHER_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;

function classify(char: string): CharClass {
  if (HANGUL.test(char)) return 'hangul';
  if (OTHER_CJK.test(char)) return 'cjk';
  if (WORD.test(char)) return 'word';
  return 'separator';
}

interface Run {
  kind: Exclude<CharClass, 'separator'>;
  chars: string[];
}

/** Maximal runs of one class; "PC에서" is a word run then a Hangul run. */
function runs(text: string): Run[] {
  const result: Run[] = [];
  let current: Run | undefined;
  for (const char of text.normalize('NFKC').toLowerCase()) {
    const kind = classify(char);
    if (kind === 'separator') {
      current = undefined;
    } else if (current?.kind === kind) {
      current.chars.push(char);
    } else {
      current = { kind, chars: [char] };
      result.push(current);
    }
  }
  return result;
}

/** Tokens of `text` in order, duplicates kept (term frequency matters for ranking). */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const run of runs(text)) {
    if (run.kind === 'word') {
      tokens.push(run.chars.join(''));
    } else if (run.chars.length === 1) {
      tokens.push(run.chars[0] ?? '');
    } else {
      for (let i = 0; i + 1 < run.chars.length; i++) tokens.push(`${run.chars[i] ?? ''}${run.chars[i + 1] ?? ''}`);
    }
  }
  return tokens.filter((token) => token !== '');
}

/** The token string stored in the FTS table for `text`. */
export function tokenString(text: string): string {
  return searchTokens(text).join(' ');
}

export type FtsQueryMode = 'and' | 'or';

/** Long pasted questions would otherwise produce queries of thousands of terms. */
const MAX_QUERY_TOKENS = 48;

/**
 * An FTS5 MATCH expression for a user's text, or null when it has nothing searchable. Every token is
 * a double-quoted string, so FTS5 operators, column filters and quotes typed by the user are
 * searched for (or dropped) rather than parsed. Words of Latin letters and digits get a prefix
 * `*` ("refund" finds "refunds"), except one- and two-character words, which as prefixes would
 * match a large share of the index; a lone CJK character is a prefix too ("환" finds "환불").
 */
export function toFtsQuery(text: string, mode: FtsQueryMode = 'and'): string | null {
  const unique = [...new Set(searchTokens(text))].slice(0, MAX_QUERY_TOKENS);
  if (unique.length === 0) return null;
  const terms = unique.map((token) => {
    const quoted = `"${token.replaceAll('"', '""')}"`;
    const chars = [...token];
    const word = classify(chars[0] ?? '') === 'word';
    const prefix = word ? chars.length >= 3 : chars.length === 1;
    return prefix ? `${quoted}*` : quoted;
  });
  return terms.join(mode === 'and' ? ' AND ' : ' OR ');
}
