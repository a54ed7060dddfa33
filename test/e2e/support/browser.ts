import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CLI, ROOT } from '../../helpers/server-process.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

/** Headless Chromium as the FACTS note says; each launch gets a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The e2e suites drive the built app; say how to build it rather than failing obscurely. */
export function assertBuilt(): void {
  const index = path.join(ROOT, 'dist', 'web', 'index.html');
  if (!existsSync(CLI) || !existsSync(index)) {
    throw new Error(`Build first (npm run build): missing ${existsSync(CLI) ? index : CLI}`);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Collects browser-side failures so a test can assert there were none. */
export function watchPage(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  return seen;
}

/** The assistant answers in the log, in order. */
export const answers = (page: Page): Locator => page.locator('article.message-assistant');

/** Waits until the n-th answer (0-based) has finished in the given phase. */
export async function waitForAnswer(page: Page, index: number, phase = 'done', timeout = 30_000): Promise<Locator> {
  const answer = answers(page).nth(index);
  await answer.and(page.locator(`[data-phase="${phase}"]`)).waitFor({ timeout });
  return answer;
}

/**
 * Records, in the page, the order in which answer parts first show text — to check that the
 * overview comes before the detail without timing assumptions.
 */
export async function recordPartOrder(page: Page): Promise<(answerIndex: number) => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __partOrder: string[]; __partObserver?: MutationObserver };
    w.__partOrder = [];
    w.__partObserver?.disconnect();
    const check = () => {
      document.querySelectorAll<HTMLElement>('article.message-assistant').forEach((article, index) => {
        article.querySelectorAll<HTMLElement>('[data-part]').forEach((part) => {
          const lane = part.closest<HTMLElement>('[data-lane]')?.dataset.lane ?? '?';
          const key = `${index}/${lane}:${part.dataset.part}`;
          const hasText = (part.querySelector('.md')?.textContent ?? '').trim().length > 0;
          if (hasText && !w.__partOrder.includes(key)) w.__partOrder.push(key);
        });
      });
    };
    check();
    w.__partObserver = new MutationObserver(check);
    w.__partObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return async (answerIndex) => {
    const order = await page.evaluate(() => (window as unknown as { __partOrder: string[] }).__partOrder);
    const prefix = `${answerIndex}/`;
    return order.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  };
}
