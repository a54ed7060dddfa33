/**
 * Relay benchmark: the real Fastify server, ChatService and relay on loopback, with simulated
 * models (Micro 150 ms + 250 tok/s, Pro 600 ms + 80 tok/s). Prints figures measured in one run and,
 * with --write, records them in docs/performance.md.
 */
import { ChatService } from '../src/chat/answer-question.js';
import { GenerativeAnswering } from '../src/answering/generative.js';
import { eventsNamed } from '../src/contract/sse.js';
import type { RetrievedDocument, Retriever } from '../src/knowledge/types.js';
import { PromptBuilder } from '../src/prompts/builder.js';
import { ConversationRepository } from '../src/store/conversations.js';
import { UsageLedger } from '../src/usage/ledger.js';
import { runBilingualBench } from './bilingual.bench.js';
import { startBenchServer } from './bench-server.js';
import { percentile, writeSection } from './report.js';
import { MICRO, PRO, SimulatedModel } from './simulated-model.js';
import { postChat, type TimedEvent } from './sse-client.js';

const LEVELS = (process.env.BENCH_LEVELS ?? '1,50,200').split(',').map(Number);
const DOCS: RetrievedDocument[] = [
  {
    id: 'refund.md#1',
    title: 'Refund policy',
    uri: 'kb://refund.md',
    score: 3,
    content: 'Refunds are possible within 7 days of purchase for unused items. '.repeat(10),
    excerpt: 'Refunds…',
  },
];
const fixedRetriever: Retriever = { source: 'local', retrieve: async () => DOCS };

const ms = (v: number) => `${v.toFixed(2)} ms`;

interface LevelResult {
  concurrency: number;
  overheadP50: number;
  overheadP99: number;
  handoffP50: number;
  handoffP99: number;
  completionOverIdealP50: number;
  completionOverIdealPct: number;
  completionP50: number;
  rssMb: number;
  errors: number;
}

const prompts = new PromptBuilder(null);

function startServer(model: SimulatedModel) {
  const inference = { maxTokens: 1024, temperature: 0.3 };
  return startBenchServer(
    (db, logger) =>
      new ChatService({
        conversations: new ConversationRepository(db),
        ledger: new UsageLedger(db),
        retriever: fixedRetriever,
        relay: {
          models: {
            overview: { answering: new GenerativeAnswering(model, () => prompts), modelId: MICRO.name, inference },
            detail: { answering: new GenerativeAnswering(model, () => prompts), modelId: PRO.name, inference },
          },
          historyTokenBudget: 2000,
          price: () => 0,
        },
        staffLanguage: 'ko',
        retrieveTopK: 5,
        logger,
      }),
  );
}

async function runLevel(
  concurrency: number,
  language: 'ko' | 'en',
): Promise<{ result: LevelResult; sessions: { key: string; events: TimedEvent[] }[]; model: SimulatedModel }> {
  const model = new SimulatedModel({ overview: MICRO, detail: PRO });
  const server = await startServer(model);
  const question = (i: number) =>
    language === 'ko' ? `환불 규정이 궁금합니다 #${concurrency}-${i}` : `How do refunds work? #${concurrency}-${i}`;
  let errors = 0;
  const sessions = await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const key = question(i);
      try {
        return { key, events: await postChat(server.url, { message: key, uiLanguage: language }) };
      } catch {
        errors += 1;
        return { key, events: [] };
      }
    }),
  );
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await server.close();

  const overheads: number[] = [];
  const handoffs: number[] = [];
  const overIdeal: number[] = [];
  const overIdealPct: number[] = [];
  const completions: number[] = [];
  for (const { key, events } of sessions) {
    const timings = model.timings.filter((t) => t.key === key);
    const lane = language === 'ko' ? 'ko' : 'en';
    const overviewModel = timings.find((t) => t.part === 'overview' && t.lane === lane);
    const detailModel = timings.find((t) => t.part === 'detail' && t.lane === lane);
    const deltas = eventsNamed(events, 'delta').filter((e) => e.data.lane === lane);
    const firstDelta = deltas[0];
    const lastOverview = deltas.filter((e) => e.data.part === 'overview').at(-1);
    const firstDetail = deltas.find((e) => e.data.part === 'detail');
    const done = events.find((e) => e.event === 'done');
    if (!overviewModel || !detailModel || !firstDelta || !lastOverview || !firstDetail || !done || done.data.status !== 'complete') {
      errors += 1;
      continue;
    }
    overheads.push(firstDelta.at - overviewModel.firstTokenAt);
    if (detailModel.firstTokenAt < overviewModel.lastTokenAt) handoffs.push(firstDetail.at - lastOverview.at);
    const startedAt = Math.min(overviewModel.startedAt, detailModel.startedAt);
    const ideal = Math.max(overviewModel.lastTokenAt, detailModel.lastTokenAt) - startedAt;
    const actual = done.at - startedAt;
    overIdeal.push(actual - ideal);
    overIdealPct.push(((actual - ideal) / ideal) * 100);
    completions.push(actual);
  }
  return {
    model,
    sessions,
    result: {
      concurrency,
      overheadP50: percentile(overheads, 50),
      overheadP99: percentile(overheads, 99),
      handoffP50: percentile(handoffs, 50),
      handoffP99: percentile(handoffs, 99),
      completionOverIdealP50: percentile(overIdeal, 50),
      completionOverIdealPct: percentile(overIdealPct, 50),
      completionP50: percentile(completions, 50),
      rssMb,
      errors,
    },
  };
}

/** The old system: overview streamed with a 20 ms pause per chunk, then the detail call, 10 ms per chunk. */
async function runOldSequential(): Promise<number> {
  const overviewModel = new SimulatedModel({ overview: MICRO, detail: PRO }, 20);
  const detailModel = new SimulatedModel({ overview: MICRO, detail: PRO }, 10);
  const signal = new AbortController().signal;
  const request = (part: 'overview' | 'detail') => ({
    modelId: part,
    staticSystem: '',
    messages: [{ role: 'user' as const, text: 'q' }],
    inference: { maxTokens: 1, temperature: 0 },
    signal,
    context: { question: 'old', language: 'ko' as const, part, documents: DOCS },
  });
  const started = performance.now();
  for await (const _ of overviewModel.stream(request('overview'))) void _;
  for await (const _ of detailModel.stream(request('detail'))) void _;
  return performance.now() - started;
}

function table(results: LevelResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.concurrency} | ${ms(r.overheadP50)} | ${ms(r.overheadP99)} | ${ms(r.handoffP50)} | ${ms(r.handoffP99)} | ${ms(r.completionOverIdealP50)} (${r.completionOverIdealPct.toFixed(2)} %) | ${r.rssMb.toFixed(0)} MiB | ${r.errors} |`,
  );
  return [
    '| concurrent chats | first-token overhead p50 | p99 | hand-off gap p50 | p99 | completion − ideal p50 | RSS | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const results: LevelResult[] = [];
  for (const level of LEVELS) {
    const { result } = await runLevel(level, 'ko');
    results.push(result);
    process.stdout.write(
      `concurrency ${level}: overhead p50 ${ms(result.overheadP50)} p99 ${ms(result.overheadP99)}, hand-off p50 ${ms(result.handoffP50)}, completion-ideal ${result.completionOverIdealPct.toFixed(2)} %, rss ${result.rssMb.toFixed(0)} MiB, errors ${result.errors}\n`,
    );
  }
  const single = results.find((r) => r.concurrency === 1) ?? results[0];
  const oldMs = await runOldSequential();
  const newMs = single?.completionP50 ?? NaN;
  const newTtft = (single?.overheadP50 ?? 0) + MICRO.firstTokenMs;
  const summary = [
    `Simulated models: Micro ${MICRO.firstTokenMs} ms + ${MICRO.tokensPerSecond} tok/s × ${MICRO.tokens} tokens; Pro ${PRO.firstTokenMs} ms + ${PRO.tokensPerSecond} tok/s × ${PRO.tokens} tokens; ${MICRO.tokensPerChunk} tokens per chunk.`,
    '',
    table(results),
    '',
    `Old sequential strategy (overview then detail, 20 ms / 10 ms pause per chunk), one chat: completion ${ms(oldMs)}; relay: ${ms(newMs)} — **${(newMs / oldMs).toFixed(2)}×** the old time. Time to first overview token: ${ms(newTtft)} in both designs (the old one also started with Micro).`,
  ].join('\n');
  process.stdout.write(`\n${summary}\n`);
  if (process.argv.includes('--write')) writeSection('relay', summary);

  // Two lanes (staff + customer) for an English question: issue #5's concurrent vs sequential comparison.
  const bilingual = await runBilingualBench();
  process.stdout.write(`\n${bilingual}\n`);
  if (process.argv.includes('--write')) writeSection('bilingual', bilingual);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
