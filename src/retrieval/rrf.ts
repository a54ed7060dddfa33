import type { RetrievedDocument } from '../knowledge/types.js';

/** The usual constant of reciprocal rank fusion (Cormack et al., 2009): damps the weight of the very first ranks. */
export const RRF_K = 60;

export interface FusionOptions {
  k?: number;
  /** Keep at most this many documents. */
  limit?: number;
}

/**
 * Merges rankings of the same corpus (e.g. a search with the original question and one with its
 * translation) by reciprocal rank fusion: each document scores Σ 1 / (k + rank) over the lists it
 * appears in (rank from 1), so what both searches found comes first, then each list's best.
 * Documents are deduplicated by id (the first copy is kept); raw retriever scores are not compared
 * across lists, only ranks. `score` of the result is the fused score. Ties keep the better single
 * rank, then the earlier list.
 */
export function reciprocalRankFusion(lists: RetrievedDocument[][], options: FusionOptions = {}): RetrievedDocument[] {
  const k = options.k ?? RRF_K;
  const fused = new Map<string, { doc: RetrievedDocument; score: number; bestRank: number; firstList: number }>();
  lists.forEach((list, listIndex) => {
    const seenInList = new Set<string>();
    list.forEach((doc, index) => {
      // A list that repeats an id counts it once, at its best rank.
      if (seenInList.has(doc.id)) return;
      seenInList.add(doc.id);
      const rank = index + 1;
      const entry = fused.get(doc.id);
      if (entry === undefined) fused.set(doc.id, { doc, score: 1 / (k + rank), bestRank: rank, firstList: listIndex });
      else {
        entry.score += 1 / (k + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
      }
    });
  });
  const ranked = [...fused.values()].sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || a.firstList - b.firstList);
  const limited = options.limit === undefined ? ranked : ranked.slice(0, Math.max(0, options.limit));
  return limited.map(({ doc, score }) => ({ ...doc, score: Math.round(score * 1e6) / 1e6 }));
}
