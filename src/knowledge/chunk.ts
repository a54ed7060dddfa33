/** Splitting documents into passages, and the plain-text forms shown in the UI. */

export interface ChunkOptions {
  /** A passage is closed once it reaches this many characters (default 800). */
  minChars?: number;
  /** A paragraph that would take a passage past this starts a new one (default 1200). */
  maxChars?: number;
}

const HEADING = /^#{1,6}\s/u;

/**
 * Passages of about 800-1200 characters cut on paragraph boundaries. A heading is never left at
 * the end of a passage (it belongs to the text after it), an oversized paragraph is cut on line,
 * then sentence, then character boundaries, and a short tail is folded into the passage before it.
 */
export function chunkPassages(markdown: string, options: ChunkOptions = {}): string[] {
  const minChars = options.minChars ?? 800;
  const maxChars = options.maxChars ?? 1200;
  const paragraphs = markdown
    .replace(/\r\n?/gu, '\n')
    .split(/\n[ \t]*\n/u)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .flatMap((p) => (p.length > maxChars ? splitLong(p, maxChars) : [p]));

  const passages: string[][] = [];
  let current: string[] = [];
  let length = 0;
  const close = (): void => {
    if (current.length === 0) return;
    // Carry trailing headings over to the next passage.
    const carried: string[] = [];
    while (current.length > 1 && HEADING.test(current.at(-1) ?? '')) carried.unshift(current.pop() ?? '');
    passages.push(current);
    current = carried;
    length = carried.reduce((sum, p) => sum + p.length + 2, 0);
  };

  for (const paragraph of paragraphs) {
    if (current.length > 0 && length + paragraph.length > maxChars) close();
    current.push(paragraph);
    length += paragraph.length + 2;
    if (length >= minChars && !HEADING.test(paragraph)) close();
  }
  if (current.length > 0) passages.push(current);

  const joined = passages.map((p) => p.join('\n\n'));
  const last = joined.at(-1);
  const beforeLast = joined.at(-2);
  if (last !== undefined && beforeLast !== undefined && last.length < minChars / 3 && beforeLast.length + last.length <= maxChars * 1.25) {
    joined.splice(-2, 2, `${beforeLast}\n\n${last}`);
  }
  return joined;
}

function splitLong(paragraph: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const unit of splitUnits(paragraph, maxChars)) {
    if (current !== '' && current.length + unit.length + 1 > maxChars) {
      pieces.push(current);
      current = '';
    }
    current = current === '' ? unit : `${current}\n${unit}`;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function splitUnits(text: string, maxChars: number): string[] {
  return text.split('\n').flatMap((line) => {
    if (line.length <= maxChars) return [line];
    const sentences = line.match(/[^.!?。！？]+(?:[.!?。！？]+\s*|$)/gu) ?? [line];
    return sentences.flatMap((sentence) => {
      const parts: string[] = [];
      for (let i = 0; i < sentence.length; i += maxChars) parts.push(sentence.slice(i, i + maxChars));
      return parts;
    });
  });
}

/** The first `# ` heading of a markdown text, if any. */
export function markdownTitle(markdown: string): string | undefined {
  const match = /^#[ \t]+(.+?)[ \t#]*$/mu.exec(markdown);
  const title = match?.[1]?.trim();
  return title === undefined || title === '' ? undefined : title;
}

/** Markdown reduced to readable plain text on one line. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n([\s\S]*?)```/gu, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1')
    .replace(/^[ \t]*#{1,6}[ \t]+/gmu, '')
    .replace(/^[ \t]*>[ \t]?/gmu, '')
    .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gmu, '')
    .replace(/^[ \t]*\|?[ \t:-]+\|[ \t|:-]*$/gmu, '')
    .replace(/\|/gu, ' ')
    .replace(/(\*\*|__)(.+?)\1/gu, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/gu, '$1$2')
    .replace(/`([^`]+)`/gu, '$1')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** About `maxChars` of plain text, cut at a word boundary, with an ellipsis when shortened. */
export function makeExcerpt(markdown: string, maxChars = 200, dropTitle?: string): string {
  let text = markdownToPlainText(markdown);
  if (dropTitle !== undefined && text.startsWith(dropTitle) && text.length > dropTitle.length) {
    text = text.slice(dropTitle.length).trim();
  }
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.(]+$/u, '')}…`;
}
