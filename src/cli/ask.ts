import { createRuntime } from '../app/runtime.js';
import { toChatEvent } from '../server/http/chat-events.js';
import type { ChatEvent } from '../contract/chat.js';
import { loadSettingsFromSources } from '../aws/settings-secret.js';
import { isLanguage, LANGUAGE_NAMES, type Language } from '../lang/languages.js';
import { createLogger } from '../log/logger.js';

const PART_TITLES = { overview: 'Overview', detail: 'Detailed answer' } as const;

/**
 * Answers one question in the terminal. The first lane streams live; a second lane (the staff
 * language beside the customer's) is held and printed as soon as the first one ends.
 */
export async function runAsk(question: string, lang: string): Promise<number> {
  if (lang !== 'auto' && !isLanguage(lang)) {
    process.stderr.write(`dualnova: --lang must be auto, ko, en, ja or zh (got "${lang}")\n`);
    return 2;
  }
  const settings = await loadSettingsFromSources();
  // One question: no background dependency checks (`dualnova doctor` runs them).
  const runtime = await createRuntime(settings, createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel, process.stderr), {
    background: false,
  });
  const out = process.stdout;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());

  const laneOrder: string[] = [];
  const held = new Map<string, string[]>();
  let liveLane = 0;
  const currentPart = new Map<string, string>();
  let status = 'failed';

  const write = (lane: string, text: string) => {
    if (lane === laneOrder[liveLane]) out.write(text);
    else held.get(lane)?.push(text);
  };
  const header = (lane: string, part: 'overview' | 'detail', model: string | null) =>
    `\n── ${PART_TITLES[part]} · ${LANGUAGE_NAMES[lane as Language] ?? lane}${model ? ` · ${model}` : ''} ──\n`;
  const partsDone = new Map<string, number>();

  const onEvent = (event: ChatEvent) => {
    switch (event.event) {
      case 'meta':
        for (const { lane } of event.data.lanes) {
          laneOrder.push(lane);
          held.set(lane, []);
        }
        if (event.data.translatedQuestion) out.write(`Translated question: ${event.data.translatedQuestion}\n`);
        break;
      case 'references':
        out.write(`References: ${event.data.documents.map((d) => d.title).join(' · ') || '(none)'}\n`);
        break;
      case 'delta': {
        const { lane, part } = event.data;
        if (currentPart.get(lane) !== part) {
          currentPart.set(lane, part);
          write(
            lane,
            header(lane, part, part === 'overview' ? runtime.models.relay.overview.modelId : runtime.models.relay.detail.modelId),
          );
        }
        write(lane, event.data.text);
        break;
      }
      case 'part_end': {
        const { lane, usage, latencyMs, costUsd } = event.data;
        write(
          lane,
          `\n  [${usage.inputTokens} in / ${usage.outputTokens} out tokens · ${latencyMs} ms${costUsd === null ? '' : ` · $${costUsd.toFixed(6)}`}]\n`,
        );
        partsDone.set(lane, (partsDone.get(lane) ?? 0) + 1);
        // A lane is finished when both parts ended (or the relay skipped its detail): release the next one.
        while (laneOrder[liveLane] !== undefined && (partsDone.get(laneOrder[liveLane] ?? '') ?? 0) >= 2) {
          liveLane += 1;
          const next = laneOrder[liveLane];
          if (next !== undefined) out.write((held.get(next) ?? []).join(''));
        }
        break;
      }
      case 'warning':
        process.stderr.write(`\nwarning (${event.data.code}): ${event.data.message}\n`);
        break;
      case 'error':
        process.stderr.write(`\nerror (${event.data.code}): ${event.data.message}\n`);
        break;
      case 'done':
        status = event.data.status;
        break;
    }
  };

  try {
    await runtime.chat.answer(
      { message: question, uiLanguage: 'en', answerLanguage: lang === 'auto' ? 'auto' : lang, userId: null, signal: controller.signal },
      // The same events as the API's stream, so the CLI reads what every client reads.
      (event) => onEvent(toChatEvent(event)),
    );
    // Lanes whose detail was skipped (no documents) never reach two part_ends: print whatever is still held.
    for (const lane of laneOrder.slice(liveLane + 1)) out.write((held.get(lane) ?? []).join(''));
    out.write('\n');
    return status === 'failed' ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
