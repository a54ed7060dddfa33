/**
 * The support desk web app in real Chromium against the real server (offline mode, sample KB).
 * The tests run in order and share one page: a Korean question, Escape, a network drop, the
 * question-too-long path, feedback + reload read-back, the English UI with two lanes, the phone
 * layout, and deleting a conversation. Screenshots go to test-results/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { answers, assertBuilt, launchBrowser, recordPartOrder, screenshot, waitForAnswer, watchPage } from './support/browser.js';
import { startDripProxy, type DripProxy } from './support/drip-proxy.js';

const KO_QUESTION = '환불은 언제까지 신청할 수 있나요?';
const EN_QUESTION = 'How long do I have to request a refund?';

let server: ServerProcess | undefined;
let proxy: DripProxy | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const base = () => proxy!.url;
const koBox = () => page.getByRole('textbox', { name: '질문', exact: true });

describe('web app (Chromium, offline server)', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    server = await startServerProcess();
    proxy = await startDripProxy(server.url);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    seen = watchPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('shows a Korean welcome with example questions from the loaded KB, the offline banner and the status', async () => {
    await page.goto(base());
    await page.getByRole('heading', { level: 1, name: '무엇을 도와드릴까요?' }).waitFor();
    const examples = page.locator('.example');
    await examples.first().waitFor();
    const api = (await (await fetch(`${server!.url}/api/examples?lang=ko`)).json()) as { questions: string[] };
    const shown = (await examples.allTextContents()).map((s) => s.trim());
    expect(shown).toEqual(api.questions.slice(0, 6));
    expect(shown.length).toBeGreaterThanOrEqual(4);

    const banner = page.getByRole('note', { name: '오프라인 모드' });
    await banner.waitFor();
    expect(await banner.innerText()).toContain('MODEL_PROVIDER=bedrock');
    await page.locator('.mode-chip', { hasText: '오프라인' }).waitFor();
    await page.getByText('로컬 문서').waitFor();
    await screenshot(page, '01-welcome-ko');
  });

  it('streams a Korean answer: overview, then the detailed answer, with references', async () => {
    const order = await recordPartOrder(page);
    proxy!.setEventDelay(200);

    // Shift+Enter makes a new line and does not send.
    await koBox().click();
    await page.keyboard.type('a');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('b');
    expect(await koBox().inputValue()).toBe('a\nb');
    expect(await answers(page).count()).toBe(0);

    await koBox().fill(KO_QUESTION);
    await koBox().press('Enter');
    const answer = answers(page).nth(0);
    await answer.locator('[data-part="overview"] .md').waitFor();
    // Still streaming: busy region, a typing cursor, the stop button.
    expect(await answer.getAttribute('aria-busy')).toBe('true');
    expect(await answer.locator('.md.is-streaming, .cursor').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: '중지' }).waitFor();
    await screenshot(page, '02-streaming');

    await waitForAnswer(page, 0, 'done');
    proxy!.setEventDelay(0);
    expect(await order(0)).toEqual(['ko:overview', 'ko:detail']);
    expect(await koBox().inputValue()).toBe('');

    await answer.locator('.part-divider', { hasText: '상세 답변' }).waitFor();
    expect((await answer.locator('[data-part="detail"] .md').innerText()).length).toBeGreaterThan(20);
    expect(await answer.locator('.model-chip').first().innerText()).toBe('offline-extractive');
    const refs = answer.locator('.reference');
    expect(await refs.count()).toBeGreaterThan(0);
    expect(await refs.first().locator('.reference-title').innerText()).toContain('환불');
    expect(await refs.first().locator('.reference-excerpt').innerText()).not.toBe('');
    // kb:// (like s3://) is shown as text, never as a link.
    expect(await answer.locator('.references a[href]:not([href^="http"])').count()).toBe(0);

    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[^/]+$/);
    await page.getByRole('navigation', { name: '대화 목록' }).getByText(KO_QUESTION).waitFor();
    expect(await page.locator('[role="log"][aria-live="polite"]').count()).toBe(1);
    await answer.getByRole('button', { name: '도움이 됨' }).waitFor();
    await screenshot(page, '03-answer-with-references');
  });

  it('stops a streaming answer with Escape (the fetch is aborted) and keeps what arrived', async () => {
    proxy!.setEventDelay(300);
    await koBox().fill('PC에서 게임이 튕길 때는 어떻게 하나요?');
    await koBox().press('Enter');
    const answer = answers(page).nth(1);
    await answer.locator('[data-part="overview"] .md').waitFor();
    await page.keyboard.press('Escape');

    await waitForAnswer(page, 1, 'stopped');
    expect(await proxy!.lastChatOutcome()).toBe('closed-early');
    await answer.getByText('답변을 중지했습니다.').waitFor();
    await page.getByRole('button', { name: '보내기' }).waitFor();
    const kept = await answer.locator('.lane').innerText();
    expect(kept).toContain('※');
    proxy!.setEventDelay(0);
    // Nothing more arrives after the stop.
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    expect(await answer.locator('.lane').innerText()).toBe(kept);
  });

  it('keeps what arrived when the connection drops mid-answer, and retries', async () => {
    proxy!.setEventDelay(20);
    proxy!.cutAfterEvents(5); // meta, references, three deltas — then the line goes dead
    await koBox().fill('정기 점검은 언제 하나요?');
    await koBox().press('Enter');
    const answer = answers(page).nth(2);
    await waitForAnswer(page, 2, 'interrupted');
    await answer.getByText('답변이 끝나기 전에 연결이 끊겼습니다. 받은 내용은 남아 있습니다.').waitFor();
    expect((await answer.locator('[data-part="overview"] .md').innerText()).length).toBeGreaterThan(0);
    await screenshot(page, '04-network-drop');

    await answer.getByRole('button', { name: '다시 시도' }).click();
    await waitForAnswer(page, 3, 'done');
    proxy!.setEventDelay(0);
    expect(await answers(page).count()).toBe(4);
    expect(await page.locator('.message-user .bubble').nth(3).innerText()).toBe('정기 점검은 언제 하나요?');
  });

  it('never loses the typed question when the server refuses it', async () => {
    const long = `${'가나다라마바사 '.repeat(520)}?`; // over the 4000-character limit
    await koBox().fill(long);
    await koBox().press('Enter');
    await page.getByRole('alert').filter({ hasText: '질문이 너무 깁니다' }).waitFor();
    expect(await koBox().inputValue()).toBe(long);
    expect(await answers(page).count()).toBe(4);
    await koBox().fill('');
  });

  it('stores feedback, and reading the conversation back after a reload shows answers, references and feedback', async () => {
    const first = answers(page).nth(0);
    await first.getByRole('button', { name: '도움이 안 됨' }).click();
    await first.getByText('감사합니다. 평가가 저장되었습니다.').waitFor();
    await first.getByRole('textbox', { name: '의견 (선택)' }).fill('환불 기간을 더 눈에 띄게 알려 주세요');
    await first.getByRole('button', { name: '의견 보내기' }).click();
    await first.getByText('의견이 저장되었습니다.').waitFor();

    const url = page.url();
    await page.reload();
    await waitForAnswer(page, 0, 'done');
    expect(page.url()).toBe(url);
    expect(await answers(page).count()).toBe(4);
    expect(await page.locator('.message-user .bubble').first().innerText()).toBe(KO_QUESTION);
    const back = answers(page).nth(0);
    expect((await back.locator('[data-part="overview"] .md').innerText()).length).toBeGreaterThan(0);
    expect((await back.locator('[data-part="detail"] .md').innerText()).length).toBeGreaterThan(0);
    expect(await back.locator('.reference').count()).toBeGreaterThan(0);
    expect(await back.getByRole('button', { name: '도움이 안 됨' }).getAttribute('aria-pressed')).toBe('true');
    await back.getByText('환불 기간을 더 눈에 띄게 알려 주세요').waitFor();
    await page.locator('.topbar-title', { hasText: KO_QUESTION }).waitFor();
    await back.locator('.answer-footer').scrollIntoViewIfNeeded();
    await screenshot(page, '05-read-back');

    // The team lead's list of poorly rated answers.
    await page.getByRole('link', { name: '낮은 평가 답변' }).click();
    const item = page.locator('.report-item').first();
    await item.getByText('환불 기간을 더 눈에 띄게 알려 주세요').waitFor();
    expect(await item.locator('.report-question').innerText()).toBe(KO_QUESTION);
    await screenshot(page, '06-low-rated');
    await item.getByRole('link', { name: '대화 열기' }).click();
    await waitForAnswer(page, 0, 'done');
    expect(page.url()).toBe(url);
  });

  it('switches the UI to English (labels and answer language), two lanes side by side, and the choice persists', async () => {
    await page.getByRole('button', { name: '새 대화' }).click();
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('heading', { level: 1, name: 'How can I help today?' }).waitFor();
    await page.getByRole('button', { name: 'New conversation' }).waitFor();
    await page.getByRole('note', { name: 'Offline mode' }).waitFor();
    await page.locator('.example').first().waitFor();
    expect(await page.getByText('무엇을 도와드릴까요?').count()).toBe(0);
    await screenshot(page, '07-welcome-en');

    const order = await recordPartOrder(page);
    proxy!.setEventDelay(30);
    const box = page.getByRole('textbox', { name: 'Your question' });
    await box.fill(EN_QUESTION);
    const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/chat'));
    await box.press('Enter');
    // "Answer in" defaults to auto: the question's language (English here), whatever the UI language.
    expect(JSON.parse((await request).postData() ?? '{}')).toMatchObject({
      message: EN_QUESTION,
      uiLanguage: 'en',
      answerLanguage: 'auto',
    });

    const answer = await waitForAnswer(page, 0, 'done');
    proxy!.setEventDelay(0);
    const lanes = answer.locator('.lanes-columns > .lane');
    expect(await lanes.count()).toBe(2);
    expect(
      await lanes.evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.lane}:${(e as HTMLElement).dataset.role}`)),
    ).toEqual(['ko:staff', 'en:customer']);
    await answer.getByRole('heading', { name: 'For staff · Korean' }).waitFor();
    await answer.getByRole('heading', { name: 'Reply to customer · English' }).waitFor();
    const parts = await order(0);
    for (const lane of ['ko', 'en']) {
      expect(parts.indexOf(`${lane}:overview`)).toBeGreaterThanOrEqual(0);
      expect(parts.indexOf(`${lane}:overview`)).toBeLessThan(parts.indexOf(`${lane}:detail`));
    }
    expect(await answer.locator('.reference-title').first().innerText()).toContain('Refund');
    expect(await answer.locator('.part-divider', { hasText: 'Detailed answer' }).count()).toBe(2);

    // "Copy reply" copies the customer lane as plain text.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base() });
    await answer.getByRole('button', { name: 'Copy reply' }).click();
    await answer.getByText('Copied').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('7 days');
    expect(copied).not.toMatch(/\*\*|^#+ |\]\(/m);
    await screenshot(page, '08-english-two-lanes');

    await page.reload();
    await waitForAnswer(page, 0, 'done');
    expect(await page.getByRole('radio', { name: 'English' }).isChecked()).toBe(true);
    await page.getByRole('textbox', { name: 'Your question' }).waitFor();
    await page.getByRole('button', { name: 'New conversation' }).waitFor();
  });

  it('is usable on a 390-wide phone: lanes become tabs, the sidebar is a drawer', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const answer = answers(page).nth(0);
    const tabs = answer.getByRole('tab');
    await tabs.first().waitFor();
    expect(await tabs.count()).toBe(2);
    expect(await answer.locator('.lane').count()).toBe(1);
    await answer.getByRole('tab', { name: 'Customer · English' }).click();
    expect(await answer.getByRole('tab', { name: 'Customer · English' }).getAttribute('aria-selected')).toBe('true');
    await answer.locator('.lane[data-role="customer"]').waitFor();
    await answer.getByRole('button', { name: 'Copy reply' }).waitFor();
    // Nothing overflows sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, '09-phone-answer');

    await page.getByRole('button', { name: 'Open menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await nav.getByText(EN_QUESTION).waitFor();
    await screenshot(page, '10-phone-menu');
    await page.keyboard.press('Escape');
    await page.locator('.sidebar:not(.is-open)').waitFor({ state: 'attached' });

    await page.goto(`${base()}/`);
    await page.getByRole('heading', { level: 1, name: 'How can I help today?' }).waitFor();
    await page.locator('.example').first().waitFor();
    await screenshot(page, '11-phone-welcome');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('switches back to Korean, which also persists across a reload', async () => {
    await page.getByRole('radio', { name: '한국어' }).check();
    await page.getByRole('heading', { level: 1, name: '무엇을 도와드릴까요?' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '무엇을 도와드릴까요?' }).waitFor();
    expect(await page.getByRole('radio', { name: '한국어' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: '새 대화' }).waitFor();

    // An example question from the welcome screen is asked with one click.
    const example = page.locator('.example').first();
    const question = (await example.innerText()).trim();
    await example.click();
    await waitForAnswer(page, 0, 'done');
    expect(await page.locator('.message-user .bubble').first().innerText()).toBe(question);
  });

  it('deletes a conversation after confirmation', async () => {
    const nav = page.getByRole('navigation', { name: '대화 목록' });
    await nav.getByText(EN_QUESTION).click();
    await waitForAnswer(page, 0, 'done');
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    const rows = nav.locator('li.conversation');
    const before = await rows.count();
    const deleteButton = page.getByRole('button', { name: `“${EN_QUESTION}” 대화 삭제` });

    await deleteButton.click();
    const dialog = page.getByRole('dialog', { name: '이 대화를 삭제할까요?' });
    await dialog.waitFor();
    await screenshot(page, '12-delete-confirmation');
    await dialog.getByRole('button', { name: '취소' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await rows.count()).toBe(before);

    await deleteButton.click();
    await dialog.getByRole('button', { name: '삭제' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('nav li.conversation').length === n, before - 1);
    expect(await nav.getByText(EN_QUESTION).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { level: 1, name: '무엇을 도와드릴까요?' }).waitFor();
    const gone = await fetch(`${server!.url}/api/conversations/${encodeURIComponent(id)}`);
    expect(gone.status).toBe(404);
  });

  it('labels every control, and the keyboard reaches the question box and the answer-language choice', async () => {
    await page.goto(`${base()}/`);
    await page.locator('.example').first().waitFor();
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [role="tab"]'))
        .filter((el) => {
          const labelledBy = el.getAttribute('aria-labelledby');
          const byLabel = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
          const name =
            el.getAttribute('aria-label') ||
            (labelledBy && document.getElementById(labelledBy)?.textContent) ||
            el.closest('label')?.textContent ||
            byLabel?.textContent ||
            el.textContent;
          return !name?.trim();
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);

    await page.locator('body').click({ position: { x: 640, y: 5 } });
    const reached = new Set<string>();
    for (let i = 0; i < 40 && !(reached.has('textarea') && reached.has('answer-language')); i++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate(() =>
          document.activeElement?.tagName === 'TEXTAREA'
            ? 'textarea'
            : document.activeElement?.tagName === 'SELECT'
              ? 'answer-language'
              : 'other',
        ),
      );
    }
    expect(reached.has('textarea')).toBe(true);
    expect(reached.has('answer-language')).toBe(true);
  });

  it('raised no page errors and no dialogs', () => {
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
  });
});
