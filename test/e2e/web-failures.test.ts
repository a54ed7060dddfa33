/**
 * Failure paths the offline server cannot produce on demand (a throttled model, a failed lane, a
 * fatal error, a denied dependency): the browser's POST /api/chat and GET /api/status are
 * answered with the exact event and status shapes of the API contract, everything else is the
 * real server. Checks that notices appear inside the answer, the rest of the answer stays, and
 * every message is in the UI language.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { answers, assertBuilt, launchBrowser, screenshot, waitForAnswer, watchPage } from './support/browser.js';

const usage = { inputTokens: 812, outputTokens: 96, cacheReadInputTokens: 640, cacheWriteInputTokens: 0 };

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const meta = (lanes: { lane: string; role: 'staff' | 'customer' }[]) =>
  sse('meta', {
    conversationId: 'simulated-conversation',
    messageId: 'simulated-answer',
    userMessageId: 'simulated-question',
    detectedLanguage: lanes.at(-1)!.lane,
    lanes,
  });
const delta = (lane: string, part: string, text: string) => sse('delta', { lane, part, text });
const partEnd = (
  lane: string,
  part: string,
  status: string,
  model = part === 'overview' ? 'us.amazon.nova-micro-v1:0' : 'us.amazon.nova-pro-v1:0',
) => sse('part_end', { lane, part, model, usage, latencyMs: 1234, costUsd: 0.000321, status });
const done = (status: string) => sse('done', { messageId: 'simulated-answer', status, usage, costUsd: 0.00064 });
const reference = sse('references', {
  documents: [
    { id: 'r1', title: '환불 및 결제 정책', uri: 's3://kb-bucket/ko/refund-policy.md', score: 0.87, excerpt: '결제 후 7일 이내 전액 환불' },
  ],
});

let server: ServerProcess | undefined;
let browser: Browser | undefined;

async function openWith(
  chatBody: string | { status: number; json: unknown },
  status?: unknown,
): Promise<{ page: Page; context: BrowserContext; seen: ReturnType<typeof watchPage> }> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const seen = watchPage(page);
  await page.route('**/api/chat', (route) =>
    typeof chatBody === 'string'
      ? route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: chatBody })
      : route.fulfill({ status: chatBody.status, contentType: 'application/json', body: JSON.stringify(chatBody.json) }),
  );
  if (status)
    await page.route('**/api/status', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(status) }),
    );
  await page.goto(server!.url);
  return { page, context, seen };
}

async function ask(page: Page, question: string): Promise<void> {
  const box = page.getByRole('textbox', { name: '질문', exact: true });
  await box.fill(question);
  await box.press('Enter');
}

describe('failure notices in the browser', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a failed overview shows a notice in its place while the detailed answer stays', async () => {
    const body = [
      meta([{ lane: 'ko', role: 'customer' }]),
      reference,
      sse('warning', { code: 'model_throttled', message: 'ThrottlingException: Rate exceeded', lane: 'ko', part: 'overview' }),
      partEnd('ko', 'overview', 'failed'),
      delta('ko', 'detail', '결제 후 **7일 이내**이고 상품을 사용하지 않았다면 전액 환불됩니다.'),
      partEnd('ko', 'detail', 'complete'),
      done('partial'),
    ].join('');
    const { page, context, seen } = await openWith(body);
    await ask(page, '환불 기간은?');
    const answer = await waitForAnswer(page, 0, 'done');
    const overview = answer.locator('[data-part="overview"]');
    expect(await overview.getAttribute('data-phase')).toBe('failed');
    await overview.getByText('언어 모델이 지금 바쁩니다. 잠시 후 다시 시도해 주세요.').waitFor();
    expect(await answer.innerText()).not.toContain('ThrottlingException');
    expect(await answer.locator('[data-part="detail"] .md strong').innerText()).toBe('7일 이내');
    // Per-part stats: model, tokens, latency, cost.
    const stats = await answer.locator('[data-part="detail"] .part-stats').innerText();
    expect(stats).toContain('Nova Pro');
    expect(stats).toContain('입력 812 · 출력 96 토큰');
    expect(stats).toContain('캐시 640');
    expect(stats).toContain('1.2초');
    expect(stats).toContain('$0.00032');
    expect(await answer.locator('.reference-uri').innerText()).toBe('s3://kb-bucket/ko/refund-policy.md');
    expect(await answer.locator('.reference a').count()).toBe(0);
    await screenshot(page, '30-part-failed');
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('a failed lane never hides the other lane; lane-less warnings show once', async () => {
    const lanes = [
      { lane: 'ko', role: 'staff' as const },
      { lane: 'en', role: 'customer' as const },
    ];
    const body = [
      meta(lanes),
      sse('warning', { code: 'translation_failed', message: 'translate failed' }),
      delta('ko', 'overview', '환불은 7일 이내 가능합니다.'),
      sse('warning', { code: 'model_denied', message: 'AccessDeniedException', lane: 'en', part: 'overview' }),
      sse('warning', { code: 'model_denied', message: 'AccessDeniedException', lane: 'en', part: 'detail' }),
      partEnd('en', 'overview', 'failed'),
      partEnd('en', 'detail', 'failed'),
      partEnd('ko', 'overview', 'complete'),
      delta('ko', 'detail', '사용하지 않은 상품만 해당됩니다.'),
      partEnd('ko', 'detail', 'complete'),
      done('partial'),
    ].join('');
    const { page, context } = await openWith(body);
    await ask(page, 'How long for a refund?');
    const answer = await waitForAnswer(page, 0, 'done');
    await answer.getByText('질문을 번역하지 못했습니다. 답변이 덜 정확할 수 있습니다.').waitFor();
    const ko = answer.locator('.lane[data-lane="ko"]');
    const en = answer.locator('.lane[data-lane="en"]');
    expect(await ko.locator('[data-part="overview"] .md').innerText()).toContain('7일 이내');
    expect(await ko.locator('[data-part="detail"] .md').innerText()).toContain('사용하지 않은');
    expect(await en.getByText('언어 모델 접근이 거부되었습니다', { exact: false }).count()).toBe(2);
    expect(await en.getByRole('button', { name: '답변 복사' }).count()).toBe(0);
    await screenshot(page, '31-lane-failed');
    await context.close();
  });

  it('a fatal error keeps what arrived, explains it in the UI language (unknown codes too) and offers retry', async () => {
    const body = [
      meta([{ lane: 'ko', role: 'customer' }]),
      delta('ko', 'overview', '점검은 매주 수요일 '),
      sse('error', { code: 'kaboom', message: 'Error: socket hang up at Foo.bar (/app/x.js:1:1)' }),
    ].join('');
    const { page, context } = await openWith(body);
    await ask(page, '점검 시간은?');
    const answer = await waitForAnswer(page, 0, 'failed');
    await answer.getByText('문제가 발생했습니다. 다시 시도해 주세요.').waitFor();
    expect(await answer.innerText()).not.toContain('socket hang up');
    expect(await answer.locator('[data-part="overview"] .md').innerText()).toContain('점검은 매주 수요일');
    await answer.getByRole('button', { name: '다시 시도' }).waitFor();
    await context.close();
  });

  it('a request refused before streaming puts the question back in the box with a translated message', async () => {
    const { page, context } = await openWith({ status: 429, json: { error: { code: 'rate_limited', message: 'Too Many Requests' } } });
    await ask(page, '아이템이 사라졌어요');
    await page.getByRole('alert').filter({ hasText: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.' }).waitFor();
    expect(await page.getByRole('textbox', { name: '질문', exact: true }).inputValue()).toBe('아이템이 사라졌어요');
    expect(await answers(page).count()).toBe(0);
    await context.close();
  });

  it('the status area shows mode, knowledge base and each dependency with its reason', async () => {
    const checkedAt = new Date().toISOString();
    const status = {
      mode: 'bedrock',
      provider: 'bedrock',
      models: { fast: 'us.amazon.nova-micro-v1:0', detail: 'us.amazon.nova-pro-v1:0' },
      knowledgeBase: { source: 'bedrock-kb' },
      staffLanguage: 'ko',
      dependencies: [
        { name: 'bedrock-runtime', state: 'ok', detail: 'Converse reachable', latencyMs: 120, checkedAt },
        {
          name: 'cloudwatch',
          state: 'denied',
          detail: 'GetMetricData was denied',
          missingPermission: 'cloudwatch:GetMetricData',
          checkedAt,
        },
        { name: 'secrets-manager', state: 'unconfigured', detail: 'no secret id set', checkedAt },
      ],
      features: {
        chat: { available: true },
        knowledgeBase: { available: true },
        translation: { available: true },
        tokenMonitoring: { available: false, reason: 'missing cloudwatch:GetMetricData on the task role' },
        alarms: { available: false, reason: 'missing cloudwatch:DescribeAlarms' },
      },
    };
    const { page, context } = await openWith('', status);
    const panel = page.getByRole('region', { name: '상태' });
    await panel.locator('.mode-chip', { hasText: 'Amazon Bedrock' }).waitFor();
    expect(await page.getByRole('note', { name: '오프라인 모드' }).count()).toBe(0);
    await panel.getByText('Bedrock 지식 베이스').waitFor();
    await panel.getByText('Nova Micro + Nova Pro').waitFor();
    const denied = panel.locator('.deps-problems .dep-denied');
    expect(await denied.locator('.dep-state').innerText()).toBe('권한 없음');
    expect(await denied.innerText()).toContain('필요한 권한: cloudwatch:GetMetricData');
    // Not configured is a choice, not a fault: it is listed only in the details.
    expect(await panel.locator('.deps-problems .dep-unconfigured').count()).toBe(0);
    expect(await panel.locator('summary').innerText()).toContain('정상 1 · 권한 없음 1 · 설정 안 됨 1');
    await panel.locator('summary').click();
    expect(await panel.locator('.deps .dep-unconfigured .dep-state').innerText()).toBe('설정 안 됨');
    await panel.getByText('토큰 모니터링 사용 불가').waitFor();
    await panel.getByText('missing cloudwatch:GetMetricData on the task role').waitFor();
    await screenshot(page, '32-status-bedrock-denied');
    await context.close();
  });
});
