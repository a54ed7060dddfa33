/**
 * Untrusted text stays inert in the browser: a knowledge-base document full of HTML/script
 * payloads (served by the real server from a temporary KB_DOCS_DIR), and a model answer that
 * contains them verbatim (simulated by answering POST /api/chat in the browser, since the
 * offline provider strips markup from its extracts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { assertBuilt, launchBrowser, screenshot, waitForAnswer, watchPage } from './support/browser.js';

const PAYLOADS = ['<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '<script>alert(1)</script>'];

const HOSTILE_DOC = `# Zorblax crystal guide

The zorblax crystal is a rare item found in the Glimmer Caves. ${PAYLOADS[0]} Players trade the zorblax crystal at the market.

To learn more about the zorblax crystal, read ${PAYLOADS[1]} before trading. ${PAYLOADS[2]} The zorblax crystal cannot be sold to vendors.

## Where to find the zorblax crystal

- The zorblax crystal drops from cave golems <b onmouseover=alert(2)>sometimes</b>.
- ![zorblax](https://evil.example/track.png) The zorblax crystal glows blue at night.
- <a href="javascript:alert(3)">zorblax crystal map</a> shows every spawn point.
`;

/** A model answer carrying every payload verbatim, as Bedrock could send it. */
const HOSTILE_MARKDOWN = [
  `Overview with ${PAYLOADS[0]} and ${PAYLOADS[1]} and ${PAYLOADS[2]}.`,
  '',
  '<svg onload=alert(4)><circle r=5 /></svg> <iframe src="javascript:alert(5)"></iframe>',
  '',
  '- [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '- [vb](vbscript:msgbox(1)) and [JS upper](JAVASCRIPT:alert(6)) and [spaced]( javascript:alert(7))',
  '- ![tracker](https://evil.example/pixel.png) <a href="https://example.com/x" onclick="alert(8)">raw anchor</a>',
  '- [a safe link](https://example.com/help) and <mailto:help@example.com>',
  '',
  '<div style="position:fixed;inset:0" onmouseover="alert(9)">overlay</div>',
].join('\n');

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function hostileStream(): string {
  const usage = { inputTokens: 10, outputTokens: 20, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
  const end = (part: string) =>
    sse('part_end', { lane: 'en', part, model: 'us.amazon.nova-pro-v1:0', usage, latencyMs: 900, costUsd: 0.0001, status: 'complete' });
  return [
    sse('meta', {
      conversationId: 'simulated',
      messageId: 'simulated-answer',
      userMessageId: 'simulated-question',
      detectedLanguage: 'en',
      lanes: [{ lane: 'en', role: 'customer' }],
    }),
    sse('references', {
      documents: [
        { id: 'a', title: `Script title ${PAYLOADS[2]}`, uri: 'javascript:alert(10)', score: 0.9, excerpt: PAYLOADS[0] },
        { id: 'b', title: 'S3 document', uri: 's3://bucket/kb/doc.md', score: 0.8, excerpt: 'plain' },
        { id: 'c', title: 'Web document', uri: 'https://example.com/doc', score: 0.7, excerpt: 'plain' },
      ],
    }),
    ...HOSTILE_MARKDOWN.match(/[\s\S]{1,7}/g)!.map((text) => sse('delta', { lane: 'en', part: 'overview', text })),
    end('overview'),
    sse('delta', { lane: 'en', part: 'detail', text: `Detail: ${PAYLOADS.join(' ')}` }),
    end('detail'),
    sse('done', { messageId: 'simulated-answer', status: 'complete', usage, costUsd: 0.0002 }),
  ].join('');
}

/** Everything the app rendered must be inert. */
async function expectInert(page: Page): Promise<void> {
  const report = await page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('*'));
    return {
      handlers: all.flatMap((el) =>
        Array.from(el.attributes)
          .filter((a) => /^on/i.test(a.name))
          .map((a) => `${el.tagName}[${a.name}]`),
      ),
      scriptHrefs: Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))
        .flatMap((el) => ['href', 'src', 'action', 'formaction'].map((n) => el.getAttribute(n) ?? ''))
        .filter((v) => /^\s*(javascript|vbscript|data):/i.test(v)),
      imgs: document.querySelectorAll('.messages img, .messages svg:not(.icon), .messages iframe, .messages object, .messages embed')
        .length,
      scripts: document.querySelectorAll('.messages script, .messages style').length,
      styled: document.querySelectorAll('.md [style]').length,
      unsafeLinks: Array.from(document.querySelectorAll<HTMLAnchorElement>('.messages a[href]'))
        .filter(
          (a) => !/^(https?:|mailto:)/i.test(a.getAttribute('href') ?? '') || a.target !== '_blank' || a.rel !== 'noopener noreferrer',
        )
        .map((a) => a.outerHTML),
    };
  });
  expect(report).toEqual({ handlers: [], scriptHrefs: [], imgs: 0, scripts: 0, styled: 0, unsafeLinks: [] });
}

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let kbDir: string;

describe('untrusted content renders inert', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    kbDir = mkdtempSync(path.join(tmpdir(), 'dualnova-xss-kb-'));
    writeFileSync(path.join(kbDir, 'zorblax.md'), HOSTILE_DOC);
    server = await startServerProcess({ KB_DOCS_DIR: kbDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (kbDir) rmSync(kbDir, { recursive: true, force: true });
  });

  it('a KB document with script payloads: answer, references and read-back stay inert', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const seen = watchPage(page);
    const remote: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server!.url)) remote.push(r.url());
    });

    await page.goto(server!.url);
    const box = page.getByRole('textbox', { name: 'Your question' });
    await box.fill('Where do I find the zorblax crystal?');
    await box.press('Enter');
    const answer = await waitForAnswer(page, 0, 'done');
    expect(await answer.locator('.reference').count()).toBeGreaterThan(0);
    // The payload is shown as text where it is quoted, never parsed.
    expect(await answer.locator('.reference-excerpt').first().innerText()).toContain('<img src=x onerror=alert(1)>');
    await expectInert(page);
    await screenshot(page, '20-xss-kb-answer');

    await page.reload();
    await waitForAnswer(page, 0, 'done');
    await expectInert(page);

    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(remote).toEqual([]);
    await context.close();
  });

  it('a model answer with raw HTML, script links and remote images renders as inert markdown', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const seen = watchPage(page);
    const remote: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server!.url)) remote.push(r.url());
    });
    await page.route('**/api/chat', (route) =>
      route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: hostileStream() }),
    );

    await page.goto(server!.url);
    const box = page.getByRole('textbox', { name: 'Your question' });
    await box.fill('Tell me about the crystal');
    await box.press('Enter');
    const answer = await waitForAnswer(page, 0, 'done');

    const overview = answer.locator('[data-part="overview"] .md');
    const text = await overview.innerText();
    // Raw HTML is visible as text…
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('<script>alert(1)</script>');
    // …a javascript: link keeps its label but loses its target…
    const x = overview.locator('a', { hasText: /^x$/ });
    expect(await x.count()).toBe(1);
    expect(await x.getAttribute('href')).toBeNull();
    // …and a safe link opens in a new tab without an opener.
    const safe = overview.getByRole('link', { name: 'a safe link' });
    expect(await safe.getAttribute('href')).toBe('https://example.com/help');
    expect(await safe.getAttribute('target')).toBe('_blank');
    expect(await safe.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await answer.locator('[data-part="detail"] .md').innerText()).toContain('<script>alert(1)</script>');

    // References: only http(s) URIs are links; s3:// and javascript: are text.
    const refs = answer.locator('.reference');
    expect(await refs.count()).toBe(3);
    expect(await refs.nth(0).locator('a').count()).toBe(0);
    expect(await refs.nth(0).locator('.reference-uri').innerText()).toBe('javascript:alert(10)');
    expect(await refs.nth(1).locator('a').count()).toBe(0);
    expect(await refs.nth(1).locator('.reference-uri').innerText()).toBe('s3://bucket/kb/doc.md');
    expect(await refs.nth(2).locator('a').getAttribute('href')).toBe('https://example.com/doc');
    expect(await answer.locator('.model-chip').first().innerText()).toBe('Nova Pro');

    // Hovering and clicking around the answer triggers nothing.
    await overview.hover();
    await x.click();
    await expectInert(page);
    await screenshot(page, '21-xss-model-answer');

    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(remote).toEqual([]);
    await context.close();
  });
});
