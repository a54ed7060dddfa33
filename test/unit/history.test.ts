import { describe, expect, it } from 'vitest';
import { buildConversationTurns } from '../../src/prompts/history.js';

describe('conversation history for Converse', () => {
  it('alternates user/assistant from the third question on (the old system mislabelled these)', () => {
    const turns = buildConversationTurns(
      [
        { role: 'user', text: 'q1' },
        { role: 'assistant', text: 'a1' },
        { role: 'user', text: 'q2' },
        { role: 'assistant', text: 'a2' },
        { role: 'user', text: 'q3' },
        { role: 'assistant', text: 'a3' },
      ],
      'q4',
      10_000,
    );
    expect(turns.map((t) => `${t.role}:${t.text}`)).toEqual([
      'user:q1',
      'assistant:a1',
      'user:q2',
      'assistant:a2',
      'user:q3',
      'assistant:a3',
      'user:q4',
    ]);
  });

  it('never sends two user turns in a row, even after a failed answer', () => {
    const turns = buildConversationTurns(
      [
        { role: 'user', text: 'q1' },
        { role: 'user', text: 'q1 again' },
        { role: 'assistant', text: 'a1' },
        { role: 'user', text: 'unanswered' },
      ],
      'q3',
      10_000,
    );
    for (let i = 1; i < turns.length; i++) expect(turns[i]?.role).not.toBe(turns[i - 1]?.role);
    expect(turns[0]?.role).toBe('user');
    expect(turns.at(-1)).toEqual({ role: 'user', text: 'q3' });
    expect(turns[0]?.text).toBe('q1\n\nq1 again');
  });

  it('drops the oldest pairs first when over budget, and starts with a user turn', () => {
    const long = 'x'.repeat(400);
    const history = [
      { role: 'assistant' as const, text: 'greeting' },
      { role: 'user' as const, text: `old ${long}` },
      { role: 'assistant' as const, text: long },
      { role: 'user' as const, text: 'recent' },
      { role: 'assistant' as const, text: 'recent answer' },
    ];
    const turns = buildConversationTurns(history, 'now', 60);
    expect(turns.map((t) => t.text)).toEqual(['recent', 'recent answer', 'now']);
  });
});
