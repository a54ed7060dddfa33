import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { eventsNamed } from '../../src/contract/sse.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postChat } from '../../bench/sse-client.js';
import type { Glossary } from '../../src/glossary/types.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime, type RecordedRequest } from '../fakes/bedrock-runtime.js';
import { postJson, startApp, type AppServer } from '../helpers/app-server.js';

let fake: FakeBedrockRuntime;
let server: AppServer;
let offline: AppServer;
let glossaryDir: string;
let glossaryFile: string;

const systemText = (r: RecordedRequest) => (r.body.system ?? []).map((b) => b.text ?? '').join('\n');
const targetOf = (r: RecordedRequest) => /into (Korean|English|Japanese|Chinese)\./u.exec(systemText(r))?.[1];

const TRANSLATIONS: Record<string, string[]> = {
  English: ['Unused Stardust bought for Aria ', 'can be refunded within 7 days.'],
  Korean: ['아리아를 위해 산 ', '스타더스트는 7일 안에 환불됩니다.'],
  Japanese: ['アリアのために買ったスターダストは', '7日以内に返金できます。'],
};

beforeAll(async () => {
  fake = await startFakeBedrockRuntime();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
  });
  glossaryDir = mkdtempSync(path.join(tmpdir(), 'dualnova-glossary-live-'));
  glossaryFile = path.join(glossaryDir, 'glossary.json');
  copyFileSync(path.resolve('kb/glossary.json'), glossaryFile);
  server = await startApp({ MODEL_PROVIDER: 'bedrock', GLOSSARY_FILE: glossaryFile });
  offline = await startApp({ MODEL_PROVIDER: 'offline' });
});
afterAll(async () => {
  await server?.close();
  await offline?.close();
  await fake?.close();
  rmSync(glossaryDir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  fake.script((r) => ({ chunks: TRANSLATIONS[targetOf(r) ?? 'English'] ?? ['?'] }));
});

const translate = (app: AppServer, body: unknown) => postJson(`${app.url}/api/translate`, body);

describe('POST /api/translate', () => {
  it('translates staff text to the customer language with the glossary, the cached prefix and a ledger row', async () => {
    const { status, json } = await translate(server, { text: '아리아에게 쓰려고 산 스타더스트는 7일 안에 환불됩니다.', target: 'auto' });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      originalText: '아리아에게 쓰려고 산 스타더스트는 7일 안에 환불됩니다.',
      detectedLanguage: 'ko',
      sourceLanguage: 'ko',
      targetLanguage: 'en',
      translatedText: 'Unused Stardust bought for Aria can be refunded within 7 days.',
      glossaryViolations: [],
      model: 'us.amazon.nova-micro-v1:0',
    });
    const body = json as { glossaryTerms: { term: string; source: string; rendered: string | null }[]; costUsd: number };
    expect(body.glossaryTerms.map((t) => [t.term, t.source, t.rendered])).toEqual([
      ['aria', '아리아', 'Aria'],
      ['stardust', '스타더스트', 'Stardust'],
      ['refund', '환불', 'refunded'],
    ]);
    expect(body.costUsd).toBeGreaterThan(0);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.modelId).toBe('us.amazon.nova-micro-v1:0');
    expect(request?.body.system?.[0]?.text).toContain('You are dualnova');
    expect(request?.body.system?.[1]).toEqual({ cachePoint: { type: 'default' } });
    expect(request?.body.system?.[2]?.text).toContain('from Korean into English');
    expect(request?.body.system?.[2]?.text).toMatch(/^- Aria \(for: 아리아/mu);
    expect(request?.body.inferenceConfig).toMatchObject({ temperature: 0 });

    const rows = await server.runtime.store.db.selectFrom('usage').selectAll().where('purpose', '=', 'translate-text').execute();
    expect(rows.at(-1)).toMatchObject({ lane: 'en', model_id: 'us.amazon.nova-micro-v1:0', status: 'complete', conversation_id: null });
  });

  it('sends customer text to the staff language, or to an explicit target', async () => {
    const auto = await translate(server, { text: 'Can Aria get a refund for unused Stardust?' });
    expect(auto.json).toMatchObject({
      detectedLanguage: 'en',
      targetLanguage: 'ko',
      translatedText: '아리아를 위해 산 스타더스트는 7일 안에 환불됩니다.',
    });
    const ja = await translate(server, { text: 'Can Aria get a refund for unused Stardust?', target: 'ja' });
    expect(ja.json).toMatchObject({ targetLanguage: 'ja', translatedText: 'アリアのために買ったスターダストは7日以内に返金できます。' });
    // A second call reads the static prefix from the (simulated) prompt cache.
    expect(fake.requests.map((r) => r.modelId)).toEqual(['us.amazon.nova-micro-v1:0', 'us.amazon.nova-micro-v1:0']);
  });

  it('lists glossary violations', async () => {
    fake.script(() => ({ chunks: ['Ari can get a refund for unused SD.'] }));
    const { json } = await translate(server, { text: '아리아의 스타더스트 환불' });
    expect((json as { glossaryViolations: unknown }).glossaryViolations).toEqual([
      { term: 'aria', expected: 'Aria', found: 'Ari', foundLanguage: 'en' },
      { term: 'stardust', expected: 'Stardust', found: 'SD', foundLanguage: 'en' },
    ]);
  });

  it('rejects bad input with 4xx and a clear message, before any model call', async () => {
    const tooLong = await translate(server, { text: '가'.repeat(4001) });
    expect(tooLong.status).toBe(413);
    expect(tooLong.json).toEqual({
      error: { code: 'message_too_long', message: 'The text is longer than 4000 characters; split it into shorter parts.' },
    });
    expect((await translate(server, { text: '가'.repeat(4000) })).status).toBe(200);
    fake.reset();
    expect((await translate(server, { text: '  ' })).json).toMatchObject({ error: { code: 'message_empty' } });
    expect((await translate(server, { text: 'hello', target: 'fr' })).json).toMatchObject({ error: { code: 'invalid_language' } });
    expect((await translate(server, { text: 'hello', extra: 1 })).status).toBe(400);
    expect((await translate(server, { text: 42 })).status).toBe(400);
    expect((await translate(server, { text: '1234 5678' })).json).toMatchObject({ error: { code: 'nothing_to_translate' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('reports model errors as errors (503/502 translation_failed), never as a copy of the input', async () => {
    fake.script(() => ({ fault: 'access-denied' }));
    const denied = await translate(server, { text: '환불은 며칠 안에 되나요?' });
    expect(denied.status).toBe(503);
    expect(denied.json).toMatchObject({
      error: { code: 'translation_failed', message: expect.stringContaining('bedrock:InvokeModelWithResponseStream') },
    });

    fake.script(() => ({ fault: 'validation', errorMessage: 'Malformed input request' }));
    const invalid = await translate(server, { text: '환불은 며칠 안에 되나요?' });
    expect(invalid.status).toBe(502);
    expect(invalid.json).toMatchObject({ error: { code: 'translation_failed' } });

    fake.script(() => ({ chunks: ['환불은 며칠 안에 ', '되나요?'] }));
    const echoed = await translate(server, { text: '환불은 며칠 안에 되나요?', target: 'en' });
    expect(echoed.status).toBe(502);
    expect(echoed.json).toMatchObject({ error: { code: 'translation_failed', message: expect.stringContaining('unchanged') } });

    fake.script(() => ({ chunks: ['Refunds within'], fault: 'cut-mid-stream', faultAfterChunks: 1 }));
    const cut = await translate(server, { text: '환불은 며칠 안에 되나요?', target: 'en' });
    expect(cut.status).toBe(503);
    expect(JSON.stringify(cut.json)).not.toContain('Refunds within');
    const failedRows = await server.runtime.store.db
      .selectFrom('usage')
      .selectAll()
      .where('purpose', '=', 'translate-text')
      .where('status', '=', 'failed')
      .execute();
    expect(failedRows.length).toBeGreaterThanOrEqual(4);
  });

  it('is unavailable offline: 503 translation_unavailable with the reason', async () => {
    const { status, json } = await translate(offline, { text: 'How do refunds work?' });
    expect(status).toBe(503);
    expect(json).toEqual({ error: { code: 'translation_unavailable', message: expect.stringContaining('MODEL_PROVIDER=bedrock') } });
  });
});

describe('glossary API and hot reload', () => {
  it('serves the glossary, filters it, and reports its status', async () => {
    const response = await fetch(`${server.url}/api/glossary`);
    const glossary = (await response.json()) as Glossary;
    expect(glossary.game).toBe('Starfall Chronicles');
    expect(response.headers.get('x-glossary-status')).toBe('ok');
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${server.url}/api/glossary`, { headers: { 'if-none-match': etag ?? '' } })).status).toBe(304);

    const filtered = (await (await fetch(`${server.url}/api/glossary?q=${encodeURIComponent('별가루')}`)).json()) as Glossary;
    expect(filtered.entries.map((e) => e.id)).toEqual(['stardust']);
    const characters = (await (await fetch(`${server.url}/api/glossary?category=character`)).json()) as Glossary;
    expect(characters.entries.every((e) => e.category === 'character')).toBe(true);
    expect((await fetch(`${server.url}/api/glossary?category=weapon`)).status).toBe(400);

    const status = await (await fetch(`${server.url}/api/glossary/status`)).json();
    expect(status).toMatchObject({ ok: true, file: glossaryFile, game: 'Starfall Chronicles', entries: glossary.entries.length });
  });

  it('picks up an edited glossary without a restart, keeps the last good one on a broken edit', async () => {
    const original = (await (await fetch(`${server.url}/api/glossary`)).json()) as Glossary;
    const edited: Glossary = {
      ...original,
      version: 'hot-reload',
      entries: [
        ...original.entries,
        {
          id: 'moon-key',
          category: 'item',
          names: { ko: '달의 열쇠', en: 'Moon Key' },
          aliases: {},
          description: 'Opens the lunar vault.',
        },
      ],
    };
    const bump = (content: string, seconds: number) => {
      writeFileSync(glossaryFile, content);
      const at = new Date(Date.now() + seconds * 1000);
      utimesSync(glossaryFile, at, at);
    };
    const waitFor = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 80; i++) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('glossary was not reloaded in 8 s');
    };
    bump(JSON.stringify(edited), 5);
    await waitFor(async () => ((await (await fetch(`${server.url}/api/glossary`)).json()) as Glossary).version === 'hot-reload');

    // The prompt prefix is rebuilt with the new entry.
    fake.script(() => ({ chunks: ['달의 열쇠를 잃어버렸어요'] }));
    await translate(server, { text: 'I lost my Moon Key', target: 'ko' });
    expect(fake.requests.at(-1)?.body.system?.[0]?.text).toContain('달의 열쇠');

    bump('{ "game": "Starfall Chronicles", "version": "broken", "entries": [ { "id": "x" ', 10);
    await waitFor(async () => ((await (await fetch(`${server.url}/api/glossary/status`)).json()) as { ok: boolean }).ok === false);
    const broken = (await (await fetch(`${server.url}/api/glossary/status`)).json()) as {
      ok: boolean;
      version: string;
      error: { message: string; problems: string[] };
    };
    expect(broken.version).toBe('hot-reload');
    expect(broken.error.message).toContain('still using version hot-reload');
    expect(broken.error.problems[0]).toMatch(/^invalid JSON/);
    const stillServed = await fetch(`${server.url}/api/glossary`);
    expect(((await stillServed.json()) as Glossary).version).toBe('hot-reload');
    expect(stillServed.headers.get('x-glossary-status')).toBe('error');

    bump(JSON.stringify(original), 15);
    await waitFor(async () => ((await (await fetch(`${server.url}/api/glossary/status`)).json()) as { ok: boolean }).ok === true);
  });

  it('answers offline chats in both lanes with a translation notice', async () => {
    const events = await postChat(offline.url, { message: 'How do I recover my account?', uiLanguage: 'en' });
    const notice = eventsNamed(events, 'warning').find((e) => e.data.code === 'translation_unavailable');
    expect(notice?.data.message).toMatch(/translating questions and answers needs a model/);
    const koText = eventsNamed(events, 'delta')
      .filter((e) => e.data.lane === 'ko')
      .map((e) => String(e.data.text))
      .join('');
    // The Korean lane quotes the Korean document on the same topic.
    expect(koText).toContain('계정 복구');
    expect(koText).toContain('발췌');
  });
});
