import { mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGlossaryCheck, runGlossaryFind } from '../../src/cli/glossary.js';
import { AnswerGlossaryCheck, checkAnswerGlossary, describeGlossaryMismatch } from '../../src/glossary/answer-check.js';
import { checkGlossaryFile } from '../../src/glossary/check.js';
import { GlossaryReloader } from '../../src/glossary/reloader.js';
import type { Glossary } from '../../src/glossary/types.js';

const small: Glossary = {
  game: 'Starfall Chronicles',
  version: '1',
  entries: [
    {
      id: 'stardust',
      category: 'item',
      names: { ko: '스타더스트', en: 'Stardust' },
      aliases: { ko: ['별가루'], en: ['SD'] },
      description: 'Premium currency.',
    },
    {
      id: 'aria',
      category: 'character',
      names: { ko: '아리아', en: 'Aria', ja: 'アリア' },
      aliases: { ko: ['아리'], en: ['Ari'] },
      description: '',
    },
    { id: 'refund', category: 'cs-term', names: { ko: '환불', en: 'refund' }, aliases: {}, description: '' },
    { id: 'gold', category: 'item', names: { ko: '골드', en: 'Gold' }, aliases: {}, description: '' },
  ],
};

const check = (answerText: string, language: 'ko' | 'en' | 'ja', reportMissing = true, documents: string[] = []) =>
  checkAnswerGlossary({
    glossary: small,
    question: 'Can I get a refund for Stardust I bought for Aria?',
    documents,
    answerText,
    language,
    reportMissing,
  });

describe('glossary consistency of an answer', () => {
  it('finds nothing wrong when every canonical name is used', () => {
    expect(check('아리아를 위해 산 스타더스트는 7일 안에 환불됩니다.', 'ko')).toEqual([]);
    expect(check('Stardust bought for Aria can be refunded within 7 days.', 'en')).toEqual([]);
    // Both names side by side is fine: the canonical one is there.
    expect(check('아리아용 스타더스트(Stardust)는 환불됩니다.', 'ko')).toEqual([]);
  });

  it('reports a missing name of an entry the question mentions (whole-lane check only)', () => {
    expect(check('아리아를 위해 산 재화는 7일 안에 환불됩니다.', 'ko')).toEqual([{ term: 'stardust', expected: '스타더스트' }]);
    expect(check('아리아를 위해 산 재화는 7일 안에 환불됩니다.', 'ko', false)).toEqual([]);
  });

  it('reports a wrong alias: another language’s name or a non-canonical alias', () => {
    expect(check('아리아를 위해 산 Stardust는 7일 안에 환불됩니다.', 'ko')).toEqual([
      { term: 'stardust', expected: '스타더스트', found: 'Stardust', foundLanguage: 'en' },
    ]);
    expect(check('SD bought for Ari can be refunded.', 'en', false)).toEqual([
      { term: 'stardust', expected: 'Stardust', found: 'SD', foundLanguage: 'en' },
      { term: 'aria', expected: 'Aria', found: 'Ari', foundLanguage: 'en' },
    ]);
  });

  it('holds entries mentioned only by the documents to their name, but never reports them missing', () => {
    const documents = ['Stardust can be exchanged for Gold at Orin.'];
    expect(check('Stardust bought for Aria can be refunded.', 'en', true, documents)).toEqual([]);
    expect(check('아리아의 스타더스트는 환불됩니다. 게임 머니 Gold 로 바꿀 수 있어요.', 'ko', true, documents)).toEqual([
      { term: 'gold', expected: '골드', found: 'Gold', foundLanguage: 'en' },
    ]);
  });

  it('skips entries without a name in the answer language and empty answers', () => {
    expect(check('アリアの返金はできます。', 'ja')).toEqual([]);
    expect(check('', 'ko')).toEqual([]);
  });

  it('checks each part as it ends: wrong names per part, missing names over the whole lane', () => {
    const checker = new AnswerGlossaryCheck(small, 'Stardust refund for Aria?', () => []);
    // The overview leaves out 아리아: not reported yet (an overview is short).
    expect(checker.partEnded({ lane: 'ko', part: 'overview', text: '스타더스트는 7일 안에 환불됩니다.', skip: false })).toBeNull();
    // The detail writes "Stardust" instead of 스타더스트 and the lane never names 아리아.
    const detail = checker.partEnded({ lane: 'ko', part: 'detail', text: '### 조건\n- 사용하지 않은 Stardust만 환불됩니다.', skip: false });
    expect(detail?.violations).toEqual([
      { term: 'stardust', expected: '스타더스트', found: 'Stardust', foundLanguage: 'en' },
      { term: 'aria', expected: '아리아' },
    ]);
    expect(detail?.message).toBe(
      'The Korean detailed answer does not follow the glossary: "Stardust" should be "스타더스트"; "아리아" is not named.',
    );
    // Lanes are independent; skipped parts are not checked.
    expect(checker.partEnded({ lane: 'en', part: 'overview', text: '', skip: true })).toBeNull();
    expect(checker.partEnded({ lane: 'en', part: 'detail', text: 'Unused Stardust for Aria can be refunded.', skip: false })).toBeNull();
  });

  it('describes mismatches in one sentence', () => {
    expect(describeGlossaryMismatch('en', 'overview', [{ term: 'aria', expected: 'Aria', found: 'Ari' }])).toBe(
      'The English overview does not follow the glossary: "Ari" should be "Aria".',
    );
  });
});

describe('glossary files: check and hot reload', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dualnova-glossary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, data: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
    return file;
  };
  const sink = () => {
    let text = '';
    return { write: (chunk: string) => (text += chunk), text: () => text };
  };

  it('accepts the shipped glossary (exit 0) with informational warnings', () => {
    const report = checkGlossaryFile(path.resolve('kb/glossary.json'));
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    const out = sink();
    expect(runGlossaryCheck('kb/glossary.json', out, sink())).toBe(0);
    expect(out.text()).toMatch(/kb\/glossary\.json: OK — \d+ entries \(Starfall Chronicles/);
  });

  it('reports every problem with its entry: duplicate aliases across entries, empty names, unknown category (exit 1)', () => {
    const file = write('broken.json', {
      game: 'G',
      version: '1',
      entries: [
        { id: 'aria', category: 'character', names: { ko: '아리아', en: 'Aria' }, aliases: { en: ['Ari'] } },
        { id: 'ari-bow', category: 'weapon', names: { ko: '아리 활', en: '' }, aliases: { en: ['Ari'] } },
      ],
    });
    const err = sink();
    expect(runGlossaryCheck(file, sink(), err)).toBe(1);
    const text = err.text();
    expect(text).toContain('3 problems');
    expect(text).toContain('entries[1] (id "ari-bow") category: unknown category "weapon"');
    expect(text).toContain('entries[1] (id "ari-bow") names.en: must not be empty');
    expect(text).toContain('entries[1] (id "ari-bow") aliases.en[0]: "Ari" is already used by entries[0] (id "aria") aliases.en[0]');
  });

  it('locates JSON syntax errors and unreadable files', () => {
    const file = write('syntax.json', '{"game": "G", "version": "1", "entries": [{"id": "a",, }]}');
    expect(checkGlossaryFile(file).problems[0]).toMatch(/^invalid JSON at line 1, column \d+ near entry "a"/);
    expect(checkGlossaryFile(path.join(dir, 'missing.json')).problems).toEqual(['cannot read the file (ENOENT)']);
  });

  it('warns about redundant aliases and languages without names', () => {
    const file = write('warn.json', {
      game: 'G',
      version: '1',
      entries: [{ id: 'aria', category: 'character', names: { ko: '아리아', en: 'Aria' }, aliases: { en: ['aria', 'Ari', 'ari'] } }],
    });
    const report = checkGlossaryFile(file);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([
      `entries[0] (id "aria") aliases.en[0]: "aria" is the entry's own en name`,
      `entries[0] (id "aria") aliases.en[2]: "ari" is listed twice`,
      '1 entry has no ja name (answers in ja cannot be checked for them): aria',
      '1 entry has no zh name (answers in zh cannot be checked for them): aria',
    ]);
  });

  it('finds the entries a text mentions', () => {
    const out = sink();
    expect(runGlossaryFind('아리가 산 SD 환불', 'kb/glossary.json', out)).toBe(0);
    expect(out.text()).toContain('아리 → aria (character) — ko: 아리아 · en: Aria');
  });

  it('reloads an edited file, keeps the last good glossary on a broken edit, and recovers', () => {
    const file = write('live.json', small);
    const reloaded: Glossary[] = [];
    const reloader = new GlossaryReloader(file, small, { onReload: (g) => reloaded.push(g) });
    expect(reloader.checkNow()).toBe('unchanged');

    const bump = (data: unknown, secondsAhead: number) => {
      writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
      const at = new Date(Date.now() + secondsAhead * 1000);
      utimesSync(file, at, at);
    };
    bump({ ...small, version: '2' }, 1);
    expect(reloader.checkNow()).toBe('reloaded');
    expect(reloader.current().version).toBe('2');
    expect(reloaded.map((g) => g.version)).toEqual(['2']);
    expect(reloader.status()).toMatchObject({ ok: true, version: '2', entries: 4, file });

    bump('{"game": "G", "version": "3", "entries": [', 2);
    expect(reloader.checkNow()).toBe('failed');
    expect(reloader.current().version).toBe('2');
    const broken = reloader.status();
    expect(broken.ok).toBe(false);
    expect(broken.error?.message).toContain('still using version 2');
    expect(broken.error?.problems[0]).toMatch(/^invalid JSON/);
    // Unchanged broken file: still failed, no reload.
    expect(reloader.checkNow()).toBe('failed');

    unlinkSync(file);
    expect(reloader.checkNow()).toBe('failed');
    expect(reloader.status().error?.problems).toEqual(['cannot read the file (ENOENT)']);

    bump({ ...small, version: '4' }, 3);
    expect(reloader.checkNow()).toBe('reloaded');
    expect(reloader.status()).toMatchObject({ ok: true, version: '4' });
    expect(reloader.status().error).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe('4');
  });

  it('polls on its own timer', async () => {
    const file = write('poll.json', small);
    const reloader = new GlossaryReloader(file, small, { intervalMs: 20 });
    reloader.start();
    try {
      writeFileSync(file, JSON.stringify({ ...small, version: 'polled' }));
      const at = new Date(Date.now() + 5000);
      utimesSync(file, at, at);
      for (let i = 0; i < 100 && reloader.current().version !== 'polled'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(reloader.current().version).toBe('polled');
    } finally {
      reloader.stop();
    }
  });
});
