import { describe, expect, it } from 'vitest';
import type { GlossaryEntry } from '../api/types';
import { entryHeadline, entryTerms, filterGlossary, isGlossaryCategory, matchRank, searchKey } from './search';

const aria: GlossaryEntry = {
  id: 'aria',
  category: 'character',
  names: { ko: '아리아', en: 'Aria', ja: 'アリア', zh: '艾莉亚' },
  aliases: { ko: ['아리'], en: ['Ari'] },
  description: 'Ranged damage dealer with a starlight bow.',
};
const stardust: GlossaryEntry = {
  id: 'stardust',
  category: 'item',
  names: { ko: '스타더스트', en: 'Stardust', ja: 'スターダスト', zh: '星尘' },
  aliases: { ko: ['별가루', '스타 더스트'], en: ['SD', 'Star Dust'] },
  description: 'Premium currency; bought with money or earned in events.',
};
const recovery: GlossaryEntry = {
  id: 'account-recovery',
  category: 'cs-term',
  names: { ko: '계정 복구', en: 'account recovery' },
  aliases: {},
  description: 'Getting back into an account after losing access (e.g. for Aria players).',
};
const orin: GlossaryEntry = {
  id: 'orin',
  category: 'character',
  names: { ko: '오린', en: 'Orin' },
  aliases: {},
  description: 'Merchant NPC.',
};
const all = [aria, stardust, recovery, orin];

describe('glossary search', () => {
  it('normalizes width, case and spacing like the server', () => {
    expect(searchKey('  Star Dust ')).toBe('stardust');
    expect(searchKey('ＡＲＩＡ')).toBe('aria');
    expect(searchKey('계정 복구')).toBe(searchKey('계정복구'));
  });

  it('lists every name and alias in every language', () => {
    expect(entryTerms(aria)).toEqual(['아리아', 'Aria', 'アリア', '艾莉亚', '아리', 'Ari']);
  });

  it('finds entries by a name or alias in any language, spacing- and case-insensitively', () => {
    expect(filterGlossary(all, 'アリア', 'all')).toEqual([aria]);
    expect(filterGlossary(all, '星尘', 'all')).toEqual([stardust]);
    expect(filterGlossary(all, '별가루', 'all')).toEqual([stardust]);
    expect(filterGlossary(all, 'sd', 'all')).toEqual([stardust]);
    expect(filterGlossary(all, '계정복구', 'all')).toEqual([recovery]);
    expect(filterGlossary(all, 'ACCOUNT recovery', 'all')).toEqual([recovery]);
  });

  it('ranks name matches before description matches', () => {
    expect(matchRank(aria, 'aria')).toBe(0);
    expect(matchRank(aria, 'ar')).toBe(1);
    expect(matchRank(recovery, 'aria')).toBe(3);
    expect(matchRank(orin, 'aria')).toBeNull();
    expect(filterGlossary(all, 'aria', 'all')).toEqual([aria, recovery]);
  });

  it('filters by category, and an empty search keeps the file order', () => {
    expect(filterGlossary(all, '', 'character')).toEqual([aria, orin]);
    expect(filterGlossary(all, '  ', 'all')).toEqual(all);
    expect(filterGlossary(all, 'aria', 'item')).toEqual([]);
    expect(isGlossaryCategory('cs-term')).toBe(true);
    expect(isGlossaryCategory('weapon')).toBe(false);
  });

  it('heads an entry with its name in the UI language, else English', () => {
    expect(entryHeadline(aria, 'ko')).toBe('아리아');
    expect(entryHeadline(orin, 'ja')).toBe('Orin');
  });
});
