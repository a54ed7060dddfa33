import { describe, expect, it } from 'vitest';
import { en } from './en';
import { errorMessage, MESSAGE_CODES, warningMessage } from './errors';
import { ko } from './ko';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('have the same keys (also enforced by the Labels type) and no empty text', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const dict of [en, ko]) for (const value of Object.values(dict)) expect(value.trim()).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ko[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('translate every error code in both languages, and unknown codes to a generic message', () => {
    for (const code of MESSAGE_CODES) {
      expect(errorMessage('ko', code)).not.toBe(errorMessage('ko', 'no_such_code'));
      expect(errorMessage('en', code)).not.toBe(errorMessage('en', 'no_such_code'));
      expect(errorMessage('ko', code)).toMatch(/[가-힣]/);
    }
    expect(errorMessage('en', 'TypeError: x is undefined')).toBe('Something went wrong. Please try again.');
    expect(errorMessage('ko', 'weird')).toBe('문제가 발생했습니다. 다시 시도해 주세요.');
  });

  it('reads warnings inside an answer differently from the same code as an error, in both languages', () => {
    expect(warningMessage('en', 'translation_unavailable')).toMatch(/^Offline mode: nothing was translated/);
    expect(warningMessage('ko', 'translation_unavailable')).toMatch(/^오프라인 모드라/);
    expect(errorMessage('en', 'translation_unavailable')).not.toBe(warningMessage('en', 'translation_unavailable'));
    // Codes without a warning text fall back to the error text; unknown codes stay generic.
    expect(warningMessage('ko', 'retrieval_partial')).toBe(errorMessage('ko', 'retrieval_partial'));
    expect(warningMessage('en', 'budget_degraded')).toMatch(/overview/);
    expect(warningMessage('en', 'weird')).toBe(errorMessage('en', 'weird'));
  });
});
