/**
 * Bilingual benchmark: an English question to a Korean-staffed desk, through the real Fastify
 * server, ChatService (question translation, two searches merged by RRF) and relay on loopback,
 * with the relay benchmark's simulated models (Micro 300 tokens, Pro 1,000 tokens) and a short
 * simulated translation on Micro. Compared, in the same run, with the old sequential design: the
 * Korean pair answered fully first, then the English pair.
 *
 *   npm run bench:bilingual [-- --write]     (also run at the end of `npm run bench`)
 */
import { pathToFileURL } from 'node:url';
import { GenerativeAnswering } from '../src/answering/generative.js';
import { ChatService } from '../src/chat/answer-question.js';
import type { RetrievedDocument, Retriever } from '../src/knowledge/types.js';
import { PromptBuilder } from '../src/prompts/builder.js';
import { planLanes } from '../src/relay/plan.js';
import { runRelay } from '../src/relay/relay.js';
import type { RelayDependencies, RelayEvent } from '../src/relay/types.js';
import { ConversationRepository } from '../src/store/conversations.js';
import { QuestionTranslator } from '../src/translate/question.js';
import { UsageLedger } from '../src/usage/ledger.js';
import { startBenchServer } from './bench-server.js';
import { percentile, writeSection } from './report.js';
import { MICRO, MICRO_TRANSLATION, PRO, SimulatedModel, type StreamTiming } from './simulated-model.js';
import { postChat } from './sse-client.js';

const LEVELS = (process.env.BENCH_BILINGUAL_LEVELS ?? '1,50').split(',').map(Number);
/** Simulated latency of one knowledge-base search. */
const RETRIEVAL_MS = 20;
const DOCS: RetrievedDocument[] = [
  {
    id: 'en/refund.md#1',
    title: 'Refund policy',
    uri: 'kb://en/refund.md',
    score: 3,
    content: 'Refunds are possible within 7 days of purchase for unused items. '.repeat(10),
    excerpt: 'Refunds…',
  },
  {
    id: 'ko/refund.md#1',
    title: '환불 정책',
    uri: 'kb://ko/refund.md',
    score: 3,
    content: '결제 후 7일 이내 사용하지 않은 상품은 환불됩니다. '.repeat(10),
    excerpt: '환불…',
  },
];
const inference = { maxTokens: 1024, temperature: 0.3 };

const slowRetriever: Retriever = {
  source: 'local',
  retrieve: (_query, options) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(DOCS), RETRIEVAL_MS);
      options?.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    }),
};

const prompts = new PromptBuilder(null);

function relayDeps(model: SimulatedModel): RelayDependencies {
  const answering = new GenerativeAnswering(model, () => prompts);
  return {
    models: { overview: { answering, modelId: MICRO.name, inference }, detail: { answering, modelId: PRO.name, inference } },
    historyTokenBudget: 2000,
    price: () => 0,
  };
}

function startServer(model: SimulatedModel) {
  const deps = relayDeps(model);
  return startBenchServer(
    (db, logger) =>
      new ChatService({
        conversations: new ConversationRepository(db),
        ledger: new UsageLedger(db),
        retriever: slowRetriever,
        relay: deps,
        staffLanguage: 'ko',
        retrieveTopK: 5,
        logger,
        questionTranslator: new QuestionTranslator({
          model: { model, modelId: MICRO.name },
          prompts: () => prompts,
          timeoutMs: 10_000,
          price: () => 0,
        }),
      }),
  );
}

interface SessionFigures {
  /** Client-side customer-lane (en) first delta, from the request. */
  customerFirstToken: number;
  /** Client `done`, from the request. */
  completion: number;
  /** The slowest of the four answer streams' last token, from the request. */
  slowestStream: number;
  /** Translation end + retrieval + Micro's time to first token: the physical limit of the first token. */
  firstTokenLimit: number;
  /** From the request to the translation call: the question stored, the conversation read. */
  translationStart: number;
  fourStartedBeforeFirstDelta: boolean;
}

async function runConcurrent(concurrency: number): Promise<{ sessions: SessionFigures[]; errors: number }> {
  const model = new SimulatedModel({ overview: MICRO, detail: PRO, translation: MICRO_TRANSLATION });
  const server = await startServer(model);
  // One untimed chat first, so the figures are not a cold start (route compilation, first queries).
  await postChat(server.url, { message: 'How do refunds work? (warm-up)', uiLanguage: 'en' });
  let errors = 0;
  const runs = await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const question = `How do refunds work for Stardust? #${concurrency}-${i}`;
      const sentAt = performance.now();
      try {
        return { question, sentAt, events: await postChat(server.url, { message: question, uiLanguage: 'en' }) };
      } catch {
        errors += 1;
        return { question, sentAt, events: [] };
      }
    }),
  );
  await server.close();

  const sessions: SessionFigures[] = [];
  for (const { question, sentAt, events } of runs) {
    const timings = model.timings.filter((t) => t.key === question);
    const translation = timings.find((t) => t.part === 'translation');
    const answers = timings.filter((t) => t.part !== 'translation');
    const firstCustomer = events.find((e) => e.event === 'delta' && e.data.lane === 'en');
    const firstDelta = events.find((e) => e.event === 'delta');
    const done = events.find((e) => e.event === 'done');
    if (!translation || answers.length !== 4 || !firstCustomer || !firstDelta || done?.data.status !== 'complete') {
      errors += 1;
      continue;
    }
    sessions.push({
      customerFirstToken: firstCustomer.at - sentAt,
      completion: done.at - sentAt,
      slowestStream: Math.max(...answers.map((t) => t.lastTokenAt)) - sentAt,
      firstTokenLimit: translation.lastTokenAt - sentAt + RETRIEVAL_MS + MICRO.firstTokenMs,
      translationStart: translation.startedAt - sentAt,
      fourStartedBeforeFirstDelta: answers.every((t: StreamTiming) => t.startedAt <= firstDelta.at),
    });
  }
  return { sessions, errors };
}

/** The old design, in-process and without HTTP (which only flatters it): translate, search, Korean relay, then English relay. */
async function runOldSequential(): Promise<{ customerFirstToken: number; completion: number }> {
  const model = new SimulatedModel({ overview: MICRO, detail: PRO, translation: MICRO_TRANSLATION });
  const deps = relayDeps(model);
  const signal = new AbortController().signal;
  const question = 'How do refunds work for Stardust? (old design)';
  const started = performance.now();
  for await (const _ of model.stream({
    modelId: MICRO.name,
    staticSystem: '',
    messages: [{ role: 'user', text: question }],
    inference,
    signal,
  }))
    void _;
  await slowRetriever.retrieve(question);
  let customerFirstToken = NaN;
  const onEvent = (event: RelayEvent) => {
    if (event.type === 'delta' && event.lane === 'en' && Number.isNaN(customerFirstToken)) customerFirstToken = performance.now() - started;
  };
  const [staff, customer] = planLanes('en', 'ko');
  if (!staff || !customer) throw new Error('expected two lanes');
  await runRelay({ lanes: [staff], question, history: [], documents: DOCS, signal }, deps, onEvent);
  await runRelay({ lanes: [customer], question, history: [], documents: DOCS, signal }, deps, onEvent);
  return { customerFirstToken, completion: performance.now() - started };
}

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

export async function runBilingualBench(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<string> {
  const old = await runOldSequential();
  log(`bilingual, old sequential design: customer first token ${ms(old.customerFirstToken)}, completion ${ms(old.completion)}`);
  const rows: string[] = [];
  let single: { firstToken: number; completion: number } | undefined;
  for (const level of LEVELS) {
    const { sessions, errors } = await runConcurrent(level);
    const firstToken = percentile(
      sessions.map((s) => s.customerFirstToken),
      50,
    );
    const completion = percentile(
      sessions.map((s) => s.completion),
      50,
    );
    const overLimit = sessions.map((s) => s.customerFirstToken - s.firstTokenLimit);
    const overSlowest = sessions.map((s) => ((s.completion - s.slowestStream) / s.slowestStream) * 100);
    const allStarted = sessions.every((s) => s.fourStartedBeforeFirstDelta);
    if (level === LEVELS[0]) single = { firstToken, completion };
    log(
      `bilingual, concurrency ${level}: customer first token p50 ${ms(firstToken)} (limit +${ms(percentile(overLimit, 50))}), completion p50 ${ms(completion)} (+${percentile(overSlowest, 50).toFixed(2)} % over the slowest stream), translation started after ${ms(
        percentile(
          sessions.map((s) => s.translationStart),
          50,
        ),
      )}, errors ${errors}`,
    );
    rows.push(
      `| ${level} | ${ms(firstToken)} | ${ms(percentile(overLimit, 50))} / ${ms(percentile(overLimit, 99))} | ${ms(completion)} | ${percentile(overSlowest, 50).toFixed(2)} % / ${percentile(overSlowest, 99).toFixed(2)} % | ${allStarted ? 'yes' : 'no'} | ${errors} |`,
    );
  }
  const first = single ?? { firstToken: NaN, completion: NaN };
  return [
    `An English question to a Korean-staffed desk: question translated on Micro (${MICRO_TRANSLATION.tokens} tokens, ${MICRO_TRANSLATION.firstTokenMs} ms to first token), two searches of ${RETRIEVAL_MS} ms each (original at once, translation when ready) merged by RRF, then four streams — ko and en × Micro ${MICRO.tokens} tokens and Pro ${PRO.tokens} tokens (${MICRO.firstTokenMs} ms + ${MICRO.tokensPerSecond} tok/s; ${PRO.firstTokenMs} ms + ${PRO.tokensPerSecond} tok/s).`,
    '',
    '| concurrent chats | customer first token p50 | over translation + search + Micro first token, p50 / p99 | completion p50 | over the slowest of the four streams, p50 / p99 | all four streams started before the first delta | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Old sequential design (same translation and search, then the Korean pair fully, then the English pair), one chat: customer first token ${ms(old.customerFirstToken)}, completion ${ms(old.completion)}.`,
    `This design, one chat: customer first token ${ms(first.firstToken)} — **${(first.firstToken / old.customerFirstToken).toFixed(3)}×** the old design; completion ${ms(first.completion)} — **${(first.completion / old.completion).toFixed(3)}×**.`,
    '',
    "Targets (issue #5): completion within 2 % of the slowest of the four streams (≈ 0.51× the old design); customer-lane first token within 10 ms of translation + search + the fast model's first token (≈ 0.03× the old design). A value at or just below 0 ms means the first token came at the limit (timers fire with about 1 ms of granularity). At 50 concurrent chats the client, the server and the 250 simulated streams share one event loop, so queueing shows up there.",
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBilingualBench()
    .then((summary) => {
      process.stdout.write(`\n${summary}\n`);
      if (process.argv.includes('--write')) writeSection('bilingual', summary);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    });
}
