import { describe, expect, it } from 'vitest';
import type { RetrievedDocument } from '../../src/knowledge/types.js';
import { reciprocalRankFusion, RRF_K } from '../../src/retrieval/rrf.js';

const doc = (id: string, score = 1): RetrievedDocument => ({ id, title: id, uri: `kb://${id}`, score, content: id, excerpt: id });
const ids = (docs: RetrievedDocument[]) => docs.map((d) => d.id);

describe('reciprocal rank fusion', () => {
  it('uses k = 60 and scores Σ 1/(k + rank)', () => {
    expect(RRF_K).toBe(60);
    const [top] = reciprocalRankFusion([[doc('a')], [doc('a')]]);
    expect(top?.score).toBeCloseTo(2 / 61, 6);
  });

  it('puts what both searches found first, then interleaves each list', () => {
    const original = [doc('en/a'), doc('shared'), doc('en/b')];
    const translated = [doc('ko/a'), doc('ko/b'), doc('shared')];
    expect(ids(reciprocalRankFusion([original, translated]))).toEqual(['shared', 'en/a', 'ko/a', 'ko/b', 'en/b']);
  });

  it('ignores raw retriever scores (they are not comparable across searches)', () => {
    const original = [doc('x', 0.001), doc('y', 0.0005)];
    const translated = [doc('z', 999), doc('w', 500)];
    expect(ids(reciprocalRankFusion([original, translated]))).toEqual(['x', 'z', 'y', 'w']);
  });

  it('deduplicates by id, keeping the first copy, and counts a repeated id once per list', () => {
    const first = { ...doc('a'), title: 'first copy' };
    const fused = reciprocalRankFusion([[first, doc('a'), doc('b')], [{ ...doc('a'), title: 'second copy' }]]);
    expect(ids(fused)).toEqual(['a', 'b']);
    expect(fused[0]?.title).toBe('first copy');
    expect(fused[0]?.score).toBeCloseTo(2 / 61, 6);
  });

  it('honours the limit and a custom k, and handles empty input', () => {
    expect(ids(reciprocalRankFusion([[doc('a'), doc('b'), doc('c')], [doc('d')]], { limit: 2 }))).toEqual(['a', 'd']);
    expect(reciprocalRankFusion([[doc('a')]], { k: 0 })[0]?.score).toBe(1);
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('returns a single list unchanged in order', () => {
    expect(ids(reciprocalRankFusion([[doc('c'), doc('a'), doc('b')]]))).toEqual(['c', 'a', 'b']);
  });
});
