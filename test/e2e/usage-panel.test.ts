/**
 * The usage panel in real Chromium against the built server in Bedrock mode: every AWS service is
 * a wire-level fake in this process (Bedrock bills fixed, known token counts), so the panel must
 * show exactly the tokens and cost of the answer just given — under the top bar, in the panel's
 * "this conversation" section and in the ledger table — in Korean and English, with the CloudWatch
 * part saying why it is unavailable (denied) and then filling in once it is allowed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fakes/bedrock-runtime.js';
import { setEnv, startAwsFakes, startObservedApp, TEST_CREDENTIALS, type AwsFakes, type ObservedApp } from '../helpers/aws-app.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { assertBuilt, launchBrowser, screenshot, waitForAnswer, watchPage } from './support/browser.js';

const KO_QUESTION = '환불은 며칠 안에 신청할 수 있나요?';

// Micro: 1,200 in + 80 out + 3,000 cache read; Pro: 1,500 in + 400 out + 3,000 cache read → 9,180 tokens.
// Cost: (1,200 × 0.000035 + 80 × 0.00014 + 3,000 × 0.00000875 + 1,500 × 0.0008 + 400 × 0.0032 + 3,000 × 0.0002) / 1000 = $0.00315945
function bill(request: RecordedRequest) {
  const pro = request.modelId.includes('pro');
  return {
    usage: pro
      ? { inputTokens: 1500, outputTokens: 400, cacheReadInputTokens: 3000, cacheWriteInputTokens: 0 }
      : { inputTokens: 1200, outputTokens: 80, cacheReadInputTokens: 3000, cacheWriteInputTokens: 0 },
  };
}

let fakes: AwsFakes;
let server: ObservedApp | undefined;
let restoreEnv: (() => void) | undefined;
// The server runs in this process on a manual clock, so the CloudWatch cache expires when the test says.
const clock = new ManualClock();
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let seen: ReturnType<typeof watchPage>;

const openPanel = async (label: string) => {
  await page.getByRole('button', { name: label }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
};

describe('usage panel (Chromium, Bedrock through fakes)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    fakes = await startAwsFakes();
    fakes.runtime.script(bill);
    // Denied until the test allows it: the panel must say why, and still show the ledger.
    fakes.cloudwatch.fault('GetMetricData', 'access-denied');
    // The AWS SDK reads credentials and endpoints from process.env.
    restoreEnv = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints, AWS_EC2_METADATA_DISABLED: 'true' });
    server = await startObservedApp({ MODEL_PROVIDER: 'bedrock', USAGE_CACHE_SECONDS: '5' }, { clock, web: true, logLevel: 'warn' });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ko-KR' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    seen = watchPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    restoreEnv?.();
    await fakes?.close();
  });

  it('shows the tokens and cost of the answer just given under the top bar', async () => {
    await page.goto(server!.url);
    const box = page.getByRole('textbox', { name: '질문', exact: true });
    await box.fill(KO_QUESTION);
    await box.press('Enter');
    await waitForAnswer(page, 0);
    const strip = page.getByTestId('usage-strip');
    await expect
      .poll(async () => (await strip.count()) > 0 && (await strip.innerText()), { timeout: 10_000 })
      .toBe('이 대화: 9,180 토큰 · $0.0032');
    await screenshot(page, 'usage-01-strip-ko');
  });

  it('the panel: this conversation, the ledger per model with a chart, CloudWatch denied with the reason, budgets', async () => {
    const dialog = await openPanel('토큰 사용량과 비용 보기');
    await dialog.getByRole('heading', { name: '토큰 사용량과 비용' }).waitFor();
    await expect.poll(() => dialog.locator('[data-usage="conversation-tokens"]').innerText()).toBe('9,180 토큰');
    expect(await dialog.locator('[data-usage="conversation-cost"]').innerText()).toBe('$0.0032');

    const ledger = dialog.getByTestId('usage-ledger');
    await ledger.waitFor();
    const row = (model: string) => ledger.locator(`tr[data-model="${model}"]`);
    expect((await row('us.amazon.nova-micro-v1:0').locator('td').allInnerTexts()).slice(0, 5)).toEqual(['1', '1,200', '80', '3,000', '0']);
    expect((await row('us.amazon.nova-pro-v1:0').locator('td').allInnerTexts()).slice(0, 5)).toEqual(['1', '1,500', '400', '3,000', '0']);
    expect(await row('us.amazon.nova-pro-v1:0').locator('th').innerText()).toBe('Nova Pro');
    // The chart is drawn (a canvas with a text alternative).
    const canvas = dialog.locator('.usage-chart canvas');
    expect(await canvas.getAttribute('aria-label')).toContain('모델별 토큰');
    expect(await canvas.evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true);

    // CloudWatch: denied → the reason, the ledger still there.
    const reason = dialog.getByTestId('cloudwatch-reason');
    await reason.waitFor({ timeout: 15_000 });
    expect(await reason.innerText()).toBe('CloudWatch metrics unavailable: missing cloudwatch:GetMetricData on the task role');
    expect(await dialog.getByText('CloudWatch 수치를 볼 수 없습니다').count()).toBe(1);
    expect(await dialog.locator('[data-status="unavailable"]').count()).toBe(2);
    await dialog.getByText('오늘의 예산').waitFor();
    await screenshot(page, 'usage-02-panel-denied-ko');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('fills in the CloudWatch figures and the reconciliation once GetMetricData is allowed, in English', async () => {
    fakes.cloudwatch.fault('GetMetricData', null);
    clock.advance(5200); // past USAGE_CACHE_SECONDS
    // Stamped on the server's clock, not the wall clock: the query window ends at the server's now.
    const timestamp = new Date(clock.now() - 60_000);
    fakes.cloudwatch.putDatapoints([
      { metricName: 'Invocations', dimensions: { ModelId: 'us.amazon.nova-pro-v1:0' }, value: 3, timestamp },
      { metricName: 'InputTokenCount', dimensions: { ModelId: 'us.amazon.nova-pro-v1:0' }, value: 4500, timestamp },
    ]);
    await page.getByRole('radio', { name: 'English' }).check();
    const dialog = await openPanel('Open token usage and cost');
    await dialog.getByRole('heading', { name: 'Token usage and cost' }).waitFor();
    await expect.poll(() => dialog.locator('[data-usage="conversation-tokens"]').innerText()).toBe('9,180 tokens');
    const cloudwatch = dialog.getByTestId('usage-cloudwatch');
    await cloudwatch.waitFor({ timeout: 20_000 });
    const pro = cloudwatch.locator('tr', { hasText: 'us.amazon.nova-pro-v1:0' });
    expect((await pro.locator('td').allInnerTexts()).slice(0, 2)).toEqual(['3', '4,500']);
    const recon = dialog.getByTestId('usage-reconciliation').locator('li', { hasText: 'Nova Pro' });
    expect(await recon.getAttribute('data-status')).toBe('mixed');
    expect(await recon.innerText()).toContain('CloudWatch shows 2 more invocations');
    expect(await dialog.getByText('CloudWatch figures are unavailable').count()).toBe(0);
    await dialog.getByRole('radio', { name: '7 days' }).check();
    await expect.poll(() => dialog.locator('.usage-headline').first().innerText()).toContain('9,180 tokens');
    await screenshot(page, 'usage-03-panel-cloudwatch-en');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(seen.errors).toEqual([]);
  });
});
