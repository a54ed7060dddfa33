/**
 * Small text tools for the extractive offline provider: search tokens, sentence splitting and
 * sentence ranking. Self-contained on purpose so the offline path has no dependency that could be
 * missing on a fresh machine.
 */

const HANGUL_RUN = /[\uac00-\ud7af]+/gu;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
const LATIN_WORD = /[\p{Script=Latin}\p{Nd}]+(?:['’][\p{Script=Latin}]+)?/gu;

const ENGLISH_STOPWORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what when ' +
    'where which who why will with would you your about after before not no yes please'
  ).split(' '),
);

/** Korean endings that would otherwise make every sentence "match" a question. */
const HANGUL_NOISE_BIGRAMS = new Set(['니다', '습니', '합니', '나요', '까요', '어요', '해요', '세요', '주세']);

/** Single syllables weigh less than bigrams: they match more by accident. */
const SYLLABLE_WEIGHT = 0.3;

/**
 * Weighted search tokens of a text: lowercase stemmed Latin words without stopwords (weight 1),
 * overlapping character bigrams of Hangul and Han/Kana runs (weight 1) and their single syllables
 * (weight 0.3, keyed `~x`). Bigrams because these scripts have no reliable word boundaries
 * (생존 must match 생존자); syllables because Korean inflects the end of a stem (걸리나요 / 걸릴).
 */
export function weightedTokens(text: string): Map<string, number> {
  const tokens = new Map<string, number>();
  const add = (token: string, weight: number): void => {
    if (weight > (tokens.get(token) ?? 0)) tokens.set(token, weight);
  };
  const lower = text.toLowerCase();
  for (const match of lower.matchAll(LATIN_WORD)) {
    const word = match[0].replace(/['’].*$/u, '');
    if (word.length < 2 && !/\d/u.test(word)) continue;
    if (ENGLISH_STOPWORDS.has(word)) continue;
    add(stem(word), 1);
  }
  for (const pattern of [HANGUL_RUN, CJK_RUN]) {
    for (const match of lower.matchAll(pattern)) {
      const run = Array.from(match[0]);
      for (let i = 0; i < run.length; i += 1) {
        add(`~${run[i]}`, SYLLABLE_WEIGHT);
        const bigram = run.slice(i, i + 2).join('');
        if (i + 1 < run.length && !HANGUL_NOISE_BIGRAMS.has(bigram)) add(bigram, 1);
      }
      if (run.length === 1) add(run.join(''), 1);
    }
  }
  return tokens;
}

/** Just enough English stemming that "refunds" matches "refund" and "purchased" matches "purchase". */
function stem(word: string): string {
  if (/\d/u.test(word)) return word;
  let base = word;
  if (base.length > 4 && base.endsWith('ies')) base = `${base.slice(0, -3)}y`;
  else if (base.length > 5 && base.endsWith('ing')) base = base.slice(0, -3);
  else if (base.length > 4 && base.endsWith('ed')) base = base.slice(0, -2);
  else if (base.length > 3 && /(?:ss|sh|ch|x)es$/u.test(base)) base = base.slice(0, -2);
  else if (base.length > 3 && base.endsWith('s') && !base.endsWith('ss')) base = base.slice(0, -1);
  return base.length > 3 ? base.replace(/e$/u, '') : base;
}

/** Removes markdown syntax that would read as noise in a quoted sentence. */
export function stripMarkdown(line: string): string {
  return line
    .replace(/<[^>]+>/gu, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/gu, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/gu, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/u, '')
    .replace(/^\s*>\s?/u, '')
    .replace(/^\s*(?:[-*+•]|\d{1,3}[.)])\s+/u, '')
    .replace(/`{1,3}([^`]*)`{1,3}/gu, '$1')
    .replace(/(\*\*|__)(.+?)\1/gu, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,!?:;]|$)/gu, '$1$2')
    .replace(/\s*\|\s*/gu, ' ')
    .replace(/https?:\/\/\S+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

const SENTENCE_END = /(?<=[.!?])\s+(?=\S)|(?<=[。！？])/u;
const HEADING = /^\s{0,3}#{1,6}\s+/u;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}/u;
const FENCE = /^\s*(```|~~~)/u;

export interface Sentence {
  text: string;
  /** Position in the passage, for putting picked sentences back in reading order. */
  index: number;
  /** Sentences under the same markdown heading share a section number. */
  section: number;
  /** The heading text of that section ('' before the first heading). */
  heading: string;
}

/**
 * Splits a passage into plain-text sentences: one per line at least (lists end a sentence even
 * without a full stop), then at sentence punctuation. Headings become section context instead of
 * sentences; table rules, code blocks and fragments too short to carry meaning are dropped.
 */
export function splitSentences(passage: string): Sentence[] {
  const sentences: Sentence[] = [];
  let inFence = false;
  let section = 0;
  let heading = '';
  for (const rawLine of passage.split(/\r?\n/u)) {
    if (FENCE.test(rawLine)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || TABLE_RULE.test(rawLine)) continue;
    if (HEADING.test(rawLine)) {
      section += 1;
      heading = stripMarkdown(rawLine);
      continue;
    }
    const line = stripMarkdown(rawLine);
    if (!line) continue;
    for (const piece of line.split(SENTENCE_END)) {
      const text = piece.trim();
      if (isMeaningful(text)) sentences.push({ text, index: sentences.length, section, heading });
    }
  }
  return sentences;
}

function isMeaningful(text: string): boolean {
  const letters = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  const cjk = text.match(/[\uac00-\ud7af\u3040-\u30ff\u4e00-\u9fff]/gu)?.length ?? 0;
  return cjk >= 6 || letters >= 20;
}

/** "How long", "며칠", "いつ"...: questions whose answer is a duration or a time. */
const ASKS_DURATION =
  /\bhow\s+(?:long|many\s+(?:days|hours|minutes|weeks))\b|\bwhen\b|며칠|얼마나\s*(?:걸|오래|기다)|언제|기간|何日|いつ|どのくらい|多久|几天|什么时候/iu;
const DURATION =
  /\d+(?:\s*[-~–]\s*\d+)?\s*(?:business\s+days?|days?|hours?|minutes?|weeks?|months?|영업일|일|시간|분|주|개월|日|時間|分|週間|天|小时|分钟|周)/iu;

export type ScoredSentence = Sentence & { score: number };

/** A section heading says what its sentences are about, nearly as much as their own words. */
const HEADING_WEIGHT = 0.8;

/**
 * Ranks sentences against a question, BM25-style: each shared token counts by its rarity among
 * the passage's sentences (a word in every sentence says nothing), tokens of the section heading
 * count half, long sentences are dampened, and a duration question favours sentences that state
 * a duration.
 */
export function scoreSentences(sentences: Sentence[], question: string): ScoredSentence[] {
  const query = weightedTokens(question);
  const asksDuration = ASKS_DURATION.test(question);
  const headingTokens = new Map<string, Map<string, number>>();
  const textBags = sentences.map((sentence) => weightedTokens(sentence.text));
  const headingBags = sentences.map((sentence) => {
    let bag = headingTokens.get(sentence.heading);
    if (!bag) headingTokens.set(sentence.heading, (bag = weightedTokens(sentence.heading)));
    return bag;
  });
  // Two rarities: a word matched in the sentence is weighed against the sentences' own words; a
  // word matched only through the heading is weighed counting the heading on every sentence it
  // covers, or a heading word that no sentence repeats would look like the rarest word of all.
  const textFrequency = new Map<string, number>();
  const headedFrequency = new Map<string, number>();
  sentences.forEach((_, i) => {
    const text = textBags[i] ?? new Map<string, number>();
    for (const token of text.keys()) textFrequency.set(token, (textFrequency.get(token) ?? 0) + 1);
    for (const token of new Set([...text.keys(), ...(headingBags[i]?.keys() ?? [])])) {
      headedFrequency.set(token, (headedFrequency.get(token) ?? 0) + 1);
    }
  });
  const total = sentences.length;
  const idf = (frequency: Map<string, number>, token: string): number => {
    const df = frequency.get(token) ?? 0;
    return Math.log(1 + (total - df + 0.5) / (df + 0.5));
  };
  const averageLength = textBags.reduce((sum, bag) => sum + bag.size, 0) / Math.max(1, total);
  const durationBonus = Math.log(1 + (total + 0.5) / 1.5);
  return sentences.map((sentence, i) => {
    const text = textBags[i] ?? new Map<string, number>();
    const heading = headingBags[i] ?? new Map<string, number>();
    let score = 0;
    let wordMatch = false;
    let headingMatch = false;
    for (const [token, weight] of query) {
      const inText = text.get(token) ?? 0;
      const inHeading = heading.get(token) ?? 0;
      if (weight >= 1 && inText >= 1) wordMatch = true;
      if (weight >= 1 && inHeading >= 1) headingMatch = true;
      if (inText > 0) score += weight * inText * idf(textFrequency, token);
      if (inHeading > 0) score += HEADING_WEIGHT * weight * inHeading * idf(headedFrequency, token);
    }
    // Only on top of a word match: a stray date elsewhere in the page does not answer the question.
    if (wordMatch && asksDuration && DURATION.test(sentence.text)) score += durationBonus;
    // Shared syllables alone are coincidence (particles, common endings); they only refine a
    // sentence that already shares a word or bigram.
    if (!wordMatch && !headingMatch) score = 0;
    const lengthNorm = 0.6 + (0.4 * text.size) / Math.max(1, averageLength);
    return { ...sentence, score: score / lengthNorm };
  });
}

export interface PickOptions {
  min: number;
  max: number;
  /** A longer selection is only taken when it fits in this many characters. */
  maxChars: number;
}

const MEANINGFUL_SCORE = 0.05;

/**
 * A short coherent excerpt for an overview: the run of up to `max` consecutive sentences within
 * one section with the highest total score, so the answer reads as a paragraph and not as
 * sentences pulled from all over the page. Falls back to the passage's opening sentences when
 * nothing matches (the retriever found it relevant anyway).
 */
export function pickExcerpt(passage: string, question: string, options: PickOptions): string[] {
  const scored = scoreSentences(splitSentences(passage), question);
  if (scored.length === 0) return [];
  let best: { start: number; length: number; score: number } | undefined;
  for (let start = 0; start < scored.length; start += 1) {
    let chars = 0;
    let top = 0;
    let sum = 0;
    for (let length = 1; length <= options.max && start + length <= scored.length; length += 1) {
      const sentence = scored[start + length - 1] as ScoredSentence;
      if (length > 1 && sentence.section !== (scored[start] as ScoredSentence).section) break;
      chars += sentence.text.length;
      if (length > 1 && chars > options.maxChars) break;
      top = Math.max(top, sentence.score);
      sum += sentence.score;
      // Anchored on its best sentence, so one strong match beats several weak ones; the others
      // only break ties between runs around the same anchor.
      const score = top + 0.25 * (sum - top);
      // Ties go to the earlier start, then to the longer run: same relevance, more context.
      const better = !best || score > best.score + 1e-9 || (score > best.score - 1e-9 && start === best.start && length > best.length);
      if (better) best = { start, length, score };
    }
  }
  if (!best || best.score < MEANINGFUL_SCORE) return leadSentences(scored, options);
  // Top up to the minimum with the following sentences of the same section for context.
  let { start, length } = best;
  const section = (scored[start] as ScoredSentence).section;
  while (length < options.min && scored[start + length]?.section === section) length += 1;
  while (length < options.min && start > 0 && scored[start - 1]?.section === section) {
    start -= 1;
    length += 1;
  }
  return scored.slice(start, start + length).map((sentence) => sentence.text);
}

function leadSentences(sentences: Sentence[], options: PickOptions): string[] {
  const picked: string[] = [];
  let chars = 0;
  for (const sentence of sentences) {
    if (picked.length >= options.max) break;
    if (picked.length >= options.min && chars + sentence.text.length > options.maxChars) break;
    picked.push(sentence.text);
    chars += sentence.text.length;
  }
  return picked;
}

/**
 * Key sentences of a passage for a digest: the best-scoring ones (up to `max`, within
 * `maxChars` once `min` is reached), back in reading order; the opening sentences when nothing
 * matches.
 */
export function pickKeySentences(
  passage: string,
  question: string,
  options: PickOptions,
  /** Lower-cased sentences to leave out, e.g. those already quoted elsewhere. */
  exclude: ReadonlySet<string> = new Set(),
): string[] {
  const scored = scoreSentences(splitSentences(passage), question).filter((sentence) => !exclude.has(sentence.text.toLowerCase()));
  const ranked = scored.filter((sentence) => sentence.score >= MEANINGFUL_SCORE).sort((a, b) => b.score - a.score || a.index - b.index);
  if (ranked.length === 0) return leadSentences(scored, options);
  const picked: ScoredSentence[] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const sentence of ranked) {
    if (picked.length >= options.max) break;
    if (picked.length >= options.min && chars + sentence.text.length > options.maxChars) break;
    const key = sentence.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push(sentence);
    chars += sentence.text.length;
  }
  return picked.sort((a, b) => a.index - b.index).map((sentence) => sentence.text);
}

/**
 * Cuts text into stream chunks of a few words (or a few characters in scripts written without
 * spaces), keeping every character so the chunks concatenate back to the input.
 */
export function chunkText(text: string, wordsPerChunk = 3, cjkCharsPerChunk = 6): string[] {
  const chunks: string[] = [];
  let words: string[] = [];
  const flush = (): void => {
    if (words.length > 0) chunks.push(words.join(''));
    words = [];
  };
  for (const match of text.matchAll(/\S+\s*|\s+/gu)) {
    const piece = match[0];
    const characters = Array.from(piece);
    if (/[\u3040-\u30ff\u4e00-\u9fff]/u.test(piece) && characters.length > cjkCharsPerChunk * 2) {
      flush();
      for (let i = 0; i < characters.length; i += cjkCharsPerChunk) {
        chunks.push(characters.slice(i, i + cjkCharsPerChunk).join(''));
      }
      continue;
    }
    words.push(piece);
    if (words.length >= wordsPerChunk) flush();
  }
  flush();
  return chunks;
}
