/**
 * Bilingual answers, the translator and the glossary in real Chromium against the real server.
 *
 * Part one runs the offline server (sample KB, a glossary copy it hot-reloads) behind the drip
 * proxy: an English question streams into a Korean staff column and an English customer column,
 * "Copy reply" copies clean text, the "Answer in" picker sends its language (日本語, 中文), the
 * translator explains offline mode in the UI language, the glossary panel filters and reports a
 * broken file. Part two runs the server with MODEL_PROVIDER=bedrock, its Bedrock client pointed
 * at the wire-level fake started here: the translator translates a sentence with glossary terms
 * and lists them, model errors read well, and a chat answer shows the translated question and a
 * glossary chip. Screenshots go to test-results/screenshots/4x-*.png.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrockControl, type FakeBedrockControl } from '../fakes/bedrock-control.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime, type FakeReply, type RecordedRequest } from '../fakes/bedrock-runtime.js';
import { startFakeCloudWatch, type FakeCloudWatch } from '../fakes/cloudwatch.js';
import { startFakeSts, type FakeSts } from '../fakes/sts.js';
import { ROOT, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { answers, assertBuilt, launchBrowser, recordPartOrder, screenshot, waitForAnswer, watchPage } from './support/browser.js';
import { startDripProxy, type DripProxy } from './support/drip-proxy.js';

const EN_QUESTION = 'How long do I have to request a refund?';
const KO_QUESTION = '환불은 언제까지 신청할 수 있나요?';
const TEST_AWS = {
  AWS_ACCESS_KEY_ID: 'AKIATESTDUALNOVA0001',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYdualnovaTEST',
  AWS_REGION: 'us-east-1',
  // Every other AWS service lands on a closed port at once; no instance metadata lookups.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
};

let browser: Browser | undefined;

async function newPage(
  baseUrl: string,
  uiLanguage: 'ko' | 'en',
): Promise<{ context: BrowserContext; page: Page; seen: ReturnType<typeof watchPage> }> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: uiLanguage === 'ko' ? 'ko-KR' : 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const seen = watchPage(page);
  await page.addInitScript((lang) => {
    if (!sessionStorage.getItem('e2e.started')) {
      sessionStorage.setItem('e2e.started', '1');
      localStorage.setItem('dualnova.uiLanguage', lang);
      localStorage.setItem('dualnova.offlineBannerDismissed', '1');
    }
  }, uiLanguage);
  return { context, page, seen };
}

const questionBox = (page: Page) => page.locator('.composer textarea');

async function ask(page: Page, question: string): Promise<Record<string, unknown>> {
  await questionBox(page).fill(question);
  const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/chat'));
  await questionBox(page).press('Enter');
  return JSON.parse((await request).postData() ?? '{}') as Record<string, unknown>;
}

const laneKeys = (page: Page, index: number) =>
  answers(page)
    .nth(index)
    .locator('.lane')
    .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.lane}:${(e as HTMLElement).dataset.role}`));

describe('bilingual web app (Chromium)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('offline server', () => {
    let server: ServerProcess | undefined;
    let proxy: DripProxy | undefined;
    let glossaryDir: string;
    let glossaryFile: string;
    let context: BrowserContext;
    let page: Page;
    let seen: ReturnType<typeof watchPage>;

    beforeAll(async () => {
      glossaryDir = mkdtempSync(path.join(tmpdir(), 'dualnova-e2e-glossary-'));
      glossaryFile = path.join(glossaryDir, 'glossary.json');
      copyFileSync(path.join(ROOT, 'kb', 'glossary.json'), glossaryFile);
      server = await startServerProcess({ GLOSSARY_FILE: glossaryFile });
      proxy = await startDripProxy(server.url);
      ({ context, page, seen } = await newPage(proxy.url, 'en'));
    });
    afterAll(async () => {
      await context?.close();
      await proxy?.close();
      await server?.stop();
      rmSync(glossaryDir, { recursive: true, force: true });
    });

    it('streams an English question into two columns at once (staff Korean, customer English); copy reply copies clean text', async () => {
      await page.goto(proxy!.url);
      await page.getByRole('heading', { level: 1, name: 'How can I help today?' }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Answer in' }).inputValue()).toBe('auto');
      const options = await page.getByRole('combobox', { name: 'Answer in' }).locator('option').allTextContents();
      expect(options).toEqual(['Auto (question’s language)', '한국어', 'English', '日本語', '中文']);

      const order = await recordPartOrder(page);
      proxy!.setEventDelay(40);
      const body = await ask(page, EN_QUESTION);
      expect(body).toMatchObject({ message: EN_QUESTION, uiLanguage: 'en', answerLanguage: 'auto' });

      // Both columns have text while the answer is still streaming.
      await page.waitForFunction(() => {
        const busy = document.querySelector('article.message-assistant[aria-busy="true"]');
        const text = (lane: string) =>
          (busy?.querySelector(`.lanes-columns .lane[data-lane="${lane}"] .md`)?.textContent ?? '').trim().length;
        return text('ko') > 0 && text('en') > 0;
      });
      const answer = answers(page).nth(0);
      expect(await laneKeys(page, 0)).toEqual(['ko:staff', 'en:customer']);
      await answer.getByRole('heading', { name: 'For staff · Korean' }).waitFor();
      await answer.getByRole('heading', { name: 'Reply to customer · English' }).waitFor();
      await screenshot(page, '4x-01-two-columns-streaming');

      await waitForAnswer(page, 0, 'done');
      proxy!.setEventDelay(0);
      const parts = await order(0);
      for (const lane of ['ko', 'en']) expect(parts.indexOf(`${lane}:overview`)).toBeLessThan(parts.indexOf(`${lane}:detail`));
      // Offline: the readable notice, not the server's English sentence.
      await answer.getByText('Offline mode: nothing was translated.', { exact: false }).waitFor();
      expect(await answer.locator('[data-lane="ko"] [data-part="overview"] .md').getAttribute('lang')).toBe('ko');
      expect(await answer.locator('[data-lane="en"] [data-part="overview"] .md').getAttribute('lang')).toBe('en');

      // Copy reply: only on the customer column, clean text without markdown.
      expect(await answer.locator('.lane[data-role="staff"]').getByRole('button', { name: 'Copy reply' }).count()).toBe(0);
      await answer.locator('.lane[data-role="customer"]').getByRole('button', { name: 'Copy reply' }).click();
      await answer.getByText('Copied').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toContain('7 days');
      expect(copied).not.toMatch(/\*\*|^#+ |\]\(|^- \[/m);
      expect(copied).not.toMatch(/[가-힣]/);
      await screenshot(page, '4x-02-two-columns-done');
    });

    it('the "Answer in" picker sends the chosen language (日本語 → a Japanese customer lane) and remembers it', async () => {
      await page.getByRole('button', { name: 'New conversation' }).click();
      await page.getByRole('combobox', { name: 'Answer in' }).selectOption('ja');
      const body = await ask(page, EN_QUESTION);
      expect(body).toMatchObject({ answerLanguage: 'ja', uiLanguage: 'en' });
      const answer = await waitForAnswer(page, 0, 'done');
      expect(await laneKeys(page, 0)).toEqual(['ko:staff', 'ja:customer']);
      await answer.getByRole('heading', { name: 'Reply to customer · Japanese' }).waitFor();
      // Offline has no Japanese passage: the lane says so, inside the lane, in the UI language.
      await answer
        .locator('.lane[data-lane="ja"]')
        .getByText('No passage in this language matches the question, so this version quotes documents in another language.')
        .waitFor();
      await answer.locator('.lane[data-lane="ja"]').getByRole('button', { name: 'Copy reply' }).waitFor();
      await screenshot(page, '4x-03-answer-in-japanese');

      await page.reload();
      await waitForAnswer(page, 0, 'done');
      expect(await page.getByRole('combobox', { name: 'Answer in' }).inputValue()).toBe('ja');

      // On a phone the two lanes are tabs, named in the UI language.
      await page.setViewportSize({ width: 390, height: 844 });
      const tabs = answers(page).nth(0).getByRole('tab');
      expect(await tabs.allTextContents()).toEqual(['Staff · Korean', 'Customer · Japanese']);
      await answers(page).nth(0).getByRole('tab', { name: 'Customer · Japanese' }).click();
      await answers(page).nth(0).locator('.lane[data-lane="ja"]').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, '4x-04-phone-japanese-tab');
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('in the Korean UI, 中文 gives lane headers in Korean; the picker goes back to auto', async () => {
      await page.getByRole('radio', { name: '한국어' }).check();
      await page.getByRole('button', { name: '새 대화' }).click();
      await page.getByRole('combobox', { name: '답변 언어' }).selectOption('zh');
      expect(await ask(page, KO_QUESTION)).toMatchObject({ answerLanguage: 'zh', uiLanguage: 'ko' });
      const answer = await waitForAnswer(page, 0, 'done');
      expect(await laneKeys(page, 0)).toEqual(['ko:staff', 'zh:customer']);
      await answer.getByRole('heading', { name: '상담원용 · 한국어' }).waitFor();
      await answer.getByRole('heading', { name: '고객 답변 · 중국어' }).waitFor();
      await answer.getByText('오프라인 모드라 번역하지 않았습니다.', { exact: false }).waitFor();
      await answer.getByRole('button', { name: '답변 복사' }).waitFor();
      await screenshot(page, '4x-05-korean-ui-chinese-lane');

      await page.getByRole('combobox', { name: '답변 언어' }).selectOption('auto');
      await page.getByRole('button', { name: '새 대화' }).click();
      expect(await ask(page, KO_QUESTION)).toMatchObject({ answerLanguage: 'auto' });
      await waitForAnswer(page, 0, 'done');
      expect(await laneKeys(page, 0)).toEqual(['ko:customer']);
    });

    it('the translator panel explains offline mode (503 translation_unavailable) in the UI language, counts characters and explains 413', async () => {
      const opener = page.getByRole('button', { name: '번역', exact: true });
      await opener.click();
      const panel = page.getByRole('complementary', { name: '도구' });
      await panel.waitFor();
      expect(await panel.getByRole('tab', { name: '번역기' }).getAttribute('aria-selected')).toBe('true');
      const text = panel.getByRole('textbox', { name: '번역할 텍스트' });
      expect(await text.evaluate((el) => el === document.activeElement)).toBe(true);

      await text.fill('Can Aria get a refund for unused Stardust?');
      await panel.getByText('42 / 4,000').waitFor();
      const response = page.waitForResponse((r) => r.url().endsWith('/api/translate'));
      await panel.getByRole('button', { name: '번역하기' }).click();
      expect((await response).status()).toBe(503);
      const notice = panel.locator('.notice-error');
      await notice.getByText('번역하려면 언어 모델이 필요한데, 서버가 오프라인 모드로 실행 중입니다.', { exact: false }).waitFor();
      expect(await notice.locator('code').innerText()).toBe('MODEL_PROVIDER=bedrock');
      expect(await notice.innerText()).toContain('서버 메시지: Translation needs a model');
      await screenshot(page, '4x-06-translator-offline-ko');

      // Over the limit: the counter says so and the button waits.
      await text.fill('가'.repeat(4001));
      await panel.getByText('4,001 / 4,000 · 너무 깁니다').waitFor();
      expect(await panel.getByRole('button', { name: '번역하기' }).isDisabled()).toBe(true);
      // A 413 from the server (its exact body) reads in the UI language too.
      await page.route('**/api/translate', (route) =>
        route.fulfill({
          status: 413,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'message_too_long', message: 'The text is longer than 4000 characters; split it into shorter parts.' },
          }),
        }),
      );
      await text.fill('아리아의 스타더스트 환불');
      await panel.getByRole('button', { name: '번역하기' }).click();
      await panel.getByText('텍스트가 4,000자를 넘습니다. 나누어 번역해 주세요.').waitFor();
      await page.unroute('**/api/translate');

      // Escape closes the panel and gives focus back to the button that opened it.
      await text.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await opener.getAttribute('aria-pressed')).toBe('false');
    });

    it('the glossary panel searches names and aliases in every language, filters by category, and reports a broken file', async () => {
      await page.getByRole('button', { name: '용어집', exact: true }).click();
      const panel = page.getByRole('complementary', { name: '도구' });
      const search = panel.getByRole('searchbox', { name: '용어집 검색' });
      await search.waitFor();
      expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
      await panel.getByText('40개 중 40개').waitFor();
      await panel.getByText('Starfall Chronicles · 버전 2026.11').waitFor();

      const entries = panel.locator('.glossary-entry');
      await search.fill('アリア');
      await panel.getByText('40개 중 1개').waitFor();
      expect(await entries.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.entry))).toEqual(['aria']);
      expect(await entries.first().locator('.glossary-headline').innerText()).toBe('아리아');
      expect(await entries.first().locator('dd[lang="zh"]').innerText()).toBe('艾莉亚');
      await screenshot(page, '4x-07-glossary-search');

      // "SD" is an English alias of Stardust: the whole-alias match comes first.
      await search.fill('sd');
      await page.waitForFunction(() => document.querySelector('.glossary-entry')?.getAttribute('data-entry') === 'stardust');
      await search.fill('');
      await panel.getByRole('combobox', { name: '분류' }).selectOption('item');
      const items = await entries.evaluateAll((els) => els.map((e) => e.querySelector('.category-chip')?.textContent));
      expect(items.length).toBeGreaterThan(3);
      expect(new Set(items)).toEqual(new Set(['아이템']));
      await search.fill('별가루');
      await page.waitForFunction(() => document.querySelectorAll('.glossary-entry').length === 1);
      await search.fill('no such term at all');
      await panel.getByText('검색과 맞는 항목이 없습니다.').waitFor();
      await panel.getByRole('combobox', { name: '분류' }).selectOption('all');
      await search.fill('');

      // A broken edit keeps the last good glossary; the panel says so (after the server's next look at the file).
      writeFileSync(
        glossaryFile,
        '{"game": "Starfall Chronicles", "version": "broken", "entries": [{"id": "aria", "category": "hero", "names": {"ko": "", "en": "Aria"}}]}',
      );
      await expect
        .poll(async () => ((await (await fetch(`${server!.url}/api/glossary/status`)).json()) as { ok: boolean }).ok, {
          timeout: 15_000,
          interval: 500,
        })
        .toBe(false);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: '용어집', exact: true }).click();
      const broken = panel.locator('.notice-error');
      await broken.getByText('용어집 파일에 오류가 있어 마지막 정상 버전을 계속 사용합니다.').waitFor();
      await broken.locator('summary').click();
      expect(await broken.locator('li').count()).toBeGreaterThan(0);
      await panel.getByText('40개 중 40개').waitFor();
      await screenshot(page, '4x-08-glossary-broken-file');
      copyFileSync(path.join(ROOT, 'kb', 'glossary.json'), glossaryFile);
      await expect
        .poll(async () => ((await (await fetch(`${server!.url}/api/glossary/status`)).json()) as { ok: boolean }).ok, {
          timeout: 15_000,
          interval: 500,
        })
        .toBe(true);
      await page.keyboard.press('Escape');
    });

    it('the side panel fits a 390-wide phone', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: '번역', exact: true }).click();
      const panel = page.getByRole('complementary', { name: '도구' });
      await panel.getByRole('textbox', { name: '번역할 텍스트' }).waitFor();
      const box = await panel.boundingBox();
      expect(box?.width).toBe(390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, '4x-09-phone-translator');
      await panel.getByRole('tab', { name: '용어집' }).click();
      await panel.locator('.glossary-entry').first().waitFor();
      await screenshot(page, '4x-10-phone-glossary');
      await panel.getByRole('button', { name: '패널 닫기' }).click();
      await panel.waitFor({ state: 'hidden' });
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('raised no page errors and no dialogs', () => {
      expect(seen.errors).toEqual([]);
      expect(seen.dialogs).toEqual([]);
    });
  });

  describe('Bedrock mode (the real SDK client against the wire-level fake)', () => {
    let fake: FakeBedrockRuntime | undefined;
    /** Only so the status panel shows a healthy Bedrock setup (its probes call these services). */
    let others: [FakeBedrockControl, FakeSts, FakeCloudWatch] | undefined;
    let server: ServerProcess | undefined;
    let context: BrowserContext;
    let page: Page;
    let seen: ReturnType<typeof watchPage>;
    /** Overrides the fake's reply to free-text translations (a fault, a wrong name, an untranslated copy). */
    let textReply: ((r: RecordedRequest) => FakeReply) | null = null;

    const systemText = (r: RecordedRequest) => (r.body.system ?? []).map((b) => b.text ?? '').join('\n');
    const userText = (r: RecordedRequest) =>
      (r.body.messages ?? [])
        .at(-1)
        ?.content.map((c) => c.text ?? '')
        .join('') ?? '';
    const TRANSLATIONS: Record<string, string[]> = {
      English: ['Unused Stardust bought for Aria ', 'can be refunded within 7 days.'],
      Korean: ['아리아를 위해 산 ', '스타더스트는 7일 안에 환불됩니다.'],
      Japanese: ['アリアのために買ったスターダストは', '7日以内に返金できます。'],
      Chinese: ['为艾莉亚购买的星尘', '可在7天内退款。'],
    };
    const ANSWERS: Record<string, Record<'overview' | 'detail', string[]>> = {
      Korean: {
        overview: [
          '아리아를 위해 산 스타더스트는 ',
          '사용하지 않았다면 **7일 이내**에 ',
          '환불할 수 있습니다. ',
          '자세한 조건은 아래와 같습니다.',
        ],
        detail: ['### 환불 조건\n\n', '- 결제 후 7일 이내\n', '- 스타더스트를 사용하지 않은 경우\n', '- 구매한 스토어에서 신청'],
      },
      English: {
        // "Ari" is an alias: the glossary wants "Aria" in English, so this part gets a glossary_mismatch.
        overview: ['Unused Stardust you bought for Ari ', 'can be refunded within **7 days**. ', 'The details are below.'],
        detail: [
          '### Conditions\n\n',
          '- Within 7 days of purchase\n',
          '- The Stardust has not been spent\n',
          '- Ask the store where you paid',
        ],
      },
    };

    function script(r: RecordedRequest): FakeReply {
      const system = systemText(r);
      if (system.includes('Task: TRANSLATION ONLY')) {
        if (system.includes("the player's support question")) return { chunks: ['아리아를 위해 산 스타더스트를 ', '환불받을 수 있나요?'] };
        if (textReply) return textReply(r);
        const target = /into (Korean|English|Japanese|Chinese)\./u.exec(system)?.[1] ?? 'English';
        return { chunks: TRANSLATIONS[target] ?? ['?'] };
      }
      const lane = /of the answer, in (Korean|English|Japanese|Chinese)\./u.exec(system)?.[1] ?? 'English';
      const part = system.includes('Task: write the OVERVIEW') ? 'overview' : 'detail';
      return { chunks: ANSWERS[lane]?.[part] ?? ['?'], chunkDelayMs: 40 };
    }

    beforeAll(async () => {
      fake = await startFakeBedrockRuntime({ script });
      others = await Promise.all([startFakeBedrockControl(), startFakeSts(), startFakeCloudWatch()]);
      const [control, sts, cloudwatch] = others;
      server = await startServerProcess({
        ...TEST_AWS,
        MODEL_PROVIDER: 'bedrock',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
        AWS_ENDPOINT_URL_BEDROCK: control.url,
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      });
      ({ context, page, seen } = await newPage(server.url, 'en'));
      await page.goto(server.url);
      await page.getByRole('heading', { level: 1, name: 'How can I help today?' }).waitFor();
    });
    afterAll(async () => {
      await context?.close();
      await server?.stop();
      await fake?.close();
      await Promise.all((others ?? []).map((f) => f.close()));
    });

    it('translates a sentence with glossary terms and lists them, with copy and the model line', async () => {
      await page.getByRole('button', { name: 'Translate', exact: true }).click();
      const panel = page.getByRole('complementary', { name: 'Tools' });
      const text = panel.getByRole('textbox', { name: 'Text to translate' });
      await text.fill('아리아에게 쓰려고 산 스타더스트는 7일 안에 환불됩니다.');
      expect(await panel.getByRole('combobox', { name: 'Translate into' }).inputValue()).toBe('auto');
      const request = page.waitForRequest((r) => r.url().endsWith('/api/translate'));
      await text.press('Control+Enter');
      expect(JSON.parse((await request).postData() ?? '{}')).toEqual({
        text: '아리아에게 쓰려고 산 스타더스트는 7일 안에 환불됩니다.',
        target: 'auto',
      });

      const result = panel.getByRole('region', { name: 'Translation' });
      await result.getByText('Detected Korean → English').waitFor();
      expect(await result.getByTestId('translated-text').innerText()).toBe(
        'Unused Stardust bought for Aria can be refunded within 7 days.',
      );
      expect(await result.getByTestId('translated-text').getAttribute('lang')).toBe('en');
      expect(await result.locator('.translation-stats').innerText()).toMatch(/^Nova Micro( · [\d.]+ s)? · \$0\.0000\d+$/);
      const terms = result.locator('.term');
      expect(
        await terms.evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.term}:${(e as HTMLElement).dataset.status}`)),
      ).toEqual(['aria:ok', 'stardust:ok', 'refund:ok']);
      expect(await terms.first().locator('.term-pair').innerText()).toMatch(/^아리아\s*→\s*,?\s*Aria$/);
      await terms.first().getByText('as in the glossary').waitFor();
      expect(await result.locator('mark').count()).toBe(0);

      await result.getByRole('button', { name: 'Copy translation' }).click();
      await result.getByText('Copied').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        'Unused Stardust bought for Aria can be refunded within 7 days.',
      );
      await screenshot(page, '4x-11-translator-result');

      // Into Japanese, and the glossary's Japanese names.
      await panel.getByRole('combobox', { name: 'Translate into' }).selectOption('ja');
      await panel.getByRole('button', { name: 'Translate', exact: true }).click();
      await result.getByText('Detected Korean → Japanese').waitFor();
      expect(await result.getByTestId('translated-text').innerText()).toBe('アリアのために買ったスターダストは7日以内に返金できます。');
      expect(await terms.first().locator('.term-expected').innerText()).toBe('アリア');
      await screenshot(page, '4x-12-translator-japanese');
    });

    it('highlights glossary violations in the translation and in the term list', async () => {
      textReply = () => ({ chunks: ['Unused Stardust bought for Ari can be refunded within 7 days.'] });
      const panel = page.getByRole('complementary', { name: 'Tools' });
      await panel.getByRole('combobox', { name: 'Translate into' }).selectOption('en');
      await panel.getByRole('button', { name: 'Translate', exact: true }).click();
      const result = panel.getByRole('region', { name: 'Translation' });
      await result.getByText('1 to check').waitFor();
      expect(await result.locator('mark').allTextContents()).toEqual(['Ari']);
      const aria = result.locator('.term[data-term="aria"]');
      expect(await aria.getAttribute('data-status')).toBe('other');
      await aria.getByText('written “Ari”, expected “Aria”').waitFor();
      await screenshot(page, '4x-13-translator-violation');
    });

    it('explains model errors in the UI language: 503 with Retry-After, 502 with the reason', async () => {
      const panel = page.getByRole('complementary', { name: 'Tools' });
      textReply = () => ({ fault: 'throttling' });
      await panel.getByRole('button', { name: 'Translate', exact: true }).click();
      await panel.getByText('The translation model is busy or unavailable. Try again in 5 seconds.').waitFor({ timeout: 30_000 });
      expect(await panel.getByRole('region', { name: 'Translation' }).count()).toBe(0);

      // The model "translates" by copying the input: a 502, never shown as a translation.
      textReply = (r) => ({ chunks: [userText(r)] });
      await panel.getByRole('button', { name: 'Translate', exact: true }).click();
      const notice = panel.locator('.notice-error');
      await notice.getByText('The model could not translate this text', { exact: false }).waitFor();
      expect(await notice.innerText()).toContain('Server: The translation model');
      await screenshot(page, '4x-14-translator-502');
      textReply = null;

      // In Korean too.
      await page.getByRole('radio', { name: '한국어' }).check();
      const koPanel = page.getByRole('complementary', { name: '도구' });
      await koPanel.getByRole('button', { name: '번역하기' }).click();
      await koPanel.getByText('감지한 언어 한국어 → 영어').waitFor();
      await koPanel.getByText('용어집과 같음').first().waitFor();
      await page.getByRole('radio', { name: 'English' }).check();
      await panel.getByRole('button', { name: 'Close panel' }).click();
      await panel.waitFor({ state: 'hidden' });
    });

    it('a chat answer shows the translated question under the question and a glossary chip on the part that missed a name', async () => {
      const question = 'Can I get a refund for the Stardust I bought for Aria?';
      expect(await ask(page, question)).toMatchObject({ answerLanguage: 'auto' });
      const answer = await waitForAnswer(page, 0, 'done');
      expect(await laneKeys(page, 0)).toEqual(['ko:staff', 'en:customer']);

      const translated = page.locator('.message-user .translated-question');
      expect(await translated.innerText()).toBe('Translated for search: 아리아를 위해 산 스타더스트를 환불받을 수 있나요?');
      expect(await translated.locator('q').getAttribute('lang')).toBe('ko');

      const overview = answer.locator('.lane[data-lane="en"] [data-part="overview"]');
      const chip = overview.getByRole('button', { name: 'Glossary: expected Aria, found Ari' });
      await chip.waitFor();
      expect(await answer.locator('.lane[data-lane="ko"] .glossary-chip').count()).toBe(0);
      expect(await chip.getAttribute('title')).toBe('Write “Aria” instead of “Ari”.');
      const details = overview.locator('.glossary-details');
      // Keyboard: Enter opens the details, Escape closes them (and does not close anything else).
      await chip.focus();
      await page.keyboard.press('Enter');
      await details.getByText('Write “Aria” instead of “Ari”.').waitFor();
      expect(await chip.getAttribute('aria-expanded')).toBe('true');
      await screenshot(page, '4x-15-chat-translated-question-glossary-chip');
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'hidden' });
      await chip.click();
      await details.getByRole('button', { name: 'Show in glossary' }).click();

      const panel = page.getByRole('complementary', { name: 'Tools' });
      const search = panel.getByRole('searchbox', { name: 'Search the glossary' });
      expect(await search.inputValue()).toBe('Aria');
      expect(await panel.locator('.glossary-entry').first().getAttribute('data-entry')).toBe('aria');
      await screenshot(page, '4x-16-show-in-glossary');
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });

      // On a phone: the customer tab keeps its chip; nothing overflows sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await answer.getByRole('tab', { name: 'Customer · English' }).click();
      await answer.locator('.lane[data-lane="en"] .glossary-chip').waitFor();
      await page.locator('.message-user').first().scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, '4x-17-phone-translated-question-chip');
      await page.setViewportSize({ width: 1280, height: 800 });

      // The translation is stored with the answer: it is still there after a reload.
      await page.reload();
      await waitForAnswer(page, 0, 'done');
      expect(await page.locator('.message-user .translated-question q').innerText()).toBe(
        '아리아를 위해 산 스타더스트를 환불받을 수 있나요?',
      );
    });

    it('raised no page errors and no dialogs', () => {
      expect(seen.errors).toEqual([]);
      expect(seen.dialogs).toEqual([]);
    });
  });
});
