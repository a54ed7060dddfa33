const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/gu;

/**
 * A cheap, conservative token estimate for budgeting prompt history (not for billing:
 * billing uses the provider's own counts). CJK syllables cost about a token each,
 * other text about one token per four characters.
 */
export function estimateTokens(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return Math.ceil(cjk + (text.length - cjk) / 4);
}
