import { describe, expect, it } from 'vitest';
import { usageEn, usageKo } from './messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('usage panel texts', () => {
  it('Korean and English have the same keys, the same placeholders, and no empty text', () => {
    expect(Object.keys(usageKo).sort()).toEqual(Object.keys(usageEn).sort());
    for (const key of Object.keys(usageEn) as (keyof typeof usageEn)[]) {
      expect(placeholders(usageKo[key]), key).toEqual(placeholders(usageEn[key]));
      expect(usageEn[key].trim(), key).not.toBe('');
      expect(usageKo[key].trim(), key).not.toBe('');
    }
  });

  it('name every purpose, reconciliation status, alarm state and budget state the server sends', () => {
    const keys = Object.keys(usageEn);
    for (const purpose of ['overview', 'detail', 'translate-question', 'translate-text']) expect(keys).toContain(`purpose_${purpose}`);
    for (const status of ['match', 'cloudwatch-higher', 'cloudwatch-lower', 'mixed', 'no-calls', 'unavailable'])
      expect(keys).toContain(`recon_${status}`);
    for (const state of ['OK', 'ALARM', 'INSUFFICIENT_DATA']) expect(keys).toContain(`alarm_${state}`);
    for (const state of ['ok', 'warning', 'degraded', 'exhausted', 'unlimited']) expect(keys).toContain(`budget_${state}`);
  });
});
