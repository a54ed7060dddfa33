import { describe, expect, it } from 'vitest';
import { planAnswer, planLanes } from '../../src/relay/plan.js';

describe('lane planning', () => {
  it('answers in one lane when the customer writes the staff language', () => {
    expect(planLanes('ko', 'ko')).toEqual([{ lane: 'ko', role: 'customer' }]);
    expect(planAnswer({ questionLanguage: 'ko', answerLanguage: 'auto', staffLanguage: 'ko' })).toEqual({
      questionLanguage: 'ko',
      answerLanguage: 'ko',
      lanes: [{ lane: 'ko', role: 'customer' }],
      translateQuestionTo: null,
    });
  });

  it('adds a staff lane first for any other customer language, and translates the question', () => {
    for (const language of ['en', 'ja', 'zh'] as const) {
      expect(planAnswer({ questionLanguage: language, answerLanguage: 'auto', staffLanguage: 'ko' })).toEqual({
        questionLanguage: language,
        answerLanguage: language,
        lanes: [
          { lane: 'ko', role: 'staff' },
          { lane: language, role: 'customer' },
        ],
        translateQuestionTo: 'ko',
      });
    }
  });

  it('honours an explicit answer language', () => {
    // An agent types Korean but wants the reply in English: two lanes, nothing to translate for the search.
    expect(planAnswer({ questionLanguage: 'ko', answerLanguage: 'en', staffLanguage: 'ko' })).toMatchObject({
      answerLanguage: 'en',
      lanes: [
        { lane: 'ko', role: 'staff' },
        { lane: 'en', role: 'customer' },
      ],
      translateQuestionTo: null,
    });
    // An English question answered in Korean only: one lane, but the search still needs the translation.
    expect(planAnswer({ questionLanguage: 'en', answerLanguage: 'ko', staffLanguage: 'ko' })).toMatchObject({
      lanes: [{ lane: 'ko', role: 'customer' }],
      translateQuestionTo: 'ko',
    });
  });

  it('works for any staff language', () => {
    expect(planAnswer({ questionLanguage: 'ko', answerLanguage: 'auto', staffLanguage: 'en' })).toMatchObject({
      lanes: [
        { lane: 'en', role: 'staff' },
        { lane: 'ko', role: 'customer' },
      ],
      translateQuestionTo: 'en',
    });
    expect(planAnswer({ questionLanguage: 'ja', answerLanguage: 'zh', staffLanguage: 'ja' })).toMatchObject({
      lanes: [
        { lane: 'ja', role: 'staff' },
        { lane: 'zh', role: 'customer' },
      ],
      translateQuestionTo: null,
    });
  });
});
