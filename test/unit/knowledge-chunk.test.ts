import { describe, expect, it } from 'vitest';
import { chunkPassages, makeExcerpt, markdownTitle, markdownToPlainText } from '../../src/knowledge/chunk.js';

const paragraph = (n: number, size: number): string => `Paragraph ${n}. ${'word '.repeat(Math.ceil(size / 5))}`.slice(0, size).trim();

describe('chunkPassages', () => {
  it('keeps a short document in one passage', () => {
    expect(chunkPassages('# Title\n\nOne.\n\nTwo.')).toEqual(['# Title\n\nOne.\n\nTwo.']);
  });

  it('cuts long documents into 800-1200 character passages on paragraph boundaries', () => {
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i, 300)).join('\n\n');
    const passages = chunkPassages(text);
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages.slice(0, -1)) {
      expect(passage.length).toBeGreaterThanOrEqual(800);
      expect(passage.length).toBeLessThanOrEqual(1200);
    }
    expect(passages.join('\n\n')).toBe(text);
  });

  it('moves a heading to the passage it introduces', () => {
    const text = [paragraph(1, 500), paragraph(2, 250), '## Next section', paragraph(3, 600)].join('\n\n');
    const passages = chunkPassages(text);
    expect(passages[1]?.startsWith('## Next section')).toBe(true);
    expect(passages[0]?.includes('## Next section')).toBe(false);
  });

  it('splits a paragraph longer than the maximum', () => {
    const passages = chunkPassages('x'.repeat(3000));
    expect(passages.every((p) => p.length <= 1200)).toBe(true);
    expect(passages.join('')).toHaveLength(3000);
  });
});

describe('markdown helpers', () => {
  it('takes the first level-1 heading as the title', () => {
    expect(markdownTitle('intro\n## Not this\n# 환불 정책 #\ntext')).toBe('환불 정책');
    expect(markdownTitle('no heading')).toBeUndefined();
  });

  it('strips markdown for excerpts', () => {
    expect(markdownToPlainText('## Head\n\n- **Bold** and _it_ [link](https://x.example) `code`\n1. step')).toBe(
      'Head Bold and it link code step',
    );
  });

  it('cuts excerpts at about 200 characters on a word boundary and drops the title', () => {
    const excerpt = makeExcerpt(`# Refunds\n\n${'refund policy text '.repeat(30)}`, 200, 'Refunds');
    expect(excerpt.length).toBeLessThanOrEqual(201);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.startsWith('refund policy')).toBe(true);
  });
});
