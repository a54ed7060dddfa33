import type { ChatTurn } from '../models/types.js';
import { estimateTokens } from './tokens.js';

/**
 * Turns stored messages into the turns Converse accepts: strictly alternating, starting with
 * `user`, ending with the new question, and bounded by a token budget (most recent turns kept).
 * Consecutive turns of one role (an unanswered question, a failed answer) are merged, never sent
 * twice in a row — Bedrock rejects that, and the old system mislabelled turns from the third question on.
 */
export function buildConversationTurns(history: ChatTurn[], question: string, budgetTokens: number): ChatTurn[] {
  const merged: ChatTurn[] = [];
  for (const turn of history) {
    const text = turn.text.trim();
    if (text === '') continue;
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role) last.text = `${last.text}\n\n${text}`;
    else merged.push({ role: turn.role, text });
  }
  while (merged[0]?.role === 'assistant') merged.shift();
  if (merged[merged.length - 1]?.role === 'user') merged.pop();

  // Keep whole user+assistant pairs, newest first, while they fit.
  const kept: ChatTurn[] = [];
  let used = estimateTokens(question);
  for (let i = merged.length - 2; i >= 0; i -= 2) {
    const user = merged[i];
    const assistant = merged[i + 1];
    if (!user || !assistant) break;
    const cost = estimateTokens(user.text) + estimateTokens(assistant.text);
    if (used + cost > budgetTokens) break;
    used += cost;
    kept.unshift(user, assistant);
  }
  kept.push({ role: 'user', text: question });
  return kept;
}
