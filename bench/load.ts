/**
 * Load, soak and scale-out benchmarks against the built server (`dualnova serve` as a child
 * process) with the wire-level fake Bedrock runtime on loopback, driven through the real SDK
 * client, the real auth (bearer tokens, one per simulated agent), limits and store.
 *
 *   node dist/bench/load.js load        500 concurrent chats against one process (LOAD_CHATS)
 *   node dist/bench/load.js soak        100 concurrent chats for 10 minutes (SOAK_CONCURRENCY, SOAK_SECONDS)
 *   node dist/bench/load.js pg          two processes on one new PostgreSQL database, 200 chats (PG_CHATS)
 *   … --write                           also record the figures in docs/performance.md
 *
 * Every loop is bounded in count and time; all traffic stays on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { writeSection as writeReportSection } from './report.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime, type FakeReply, type RecordedRequest } from '../test/fakes/bedrock-runtime.js';
import {
  createTokens,
  fmtMs,
  mib,
  PACKAGE_ROOT,
  percentile,
  rssOf,
  runChat,
  selfLag,
  serverMetrics,
  sleep,
  startServer,
  type ChatOutcome,
  type ServerChild,
} from './load-support.js';

/** Nova-like timings: Micro 150 ms to first byte, 250 tok/s, 300 tokens; Pro 600 ms, 80 tok/s, 1000 tokens; 4 tokens a chunk. */
const CHUNK = 'tok tok tok tok ';
const PROFILES = {
  micro: { firstByteDelayMs: 150, chunkDelayMs: 16, chunks: 75 },
  pro: { firstByteDelayMs: 600, chunkDelayMs: 50, chunks: 250 },
};
const IDEAL_COMPLETION_MS = PROFILES.pro.firstByteDelayMs + PROFILES.pro.chunkDelayMs * (PROFILES.pro.chunks - 1);

function script(request: RecordedRequest): FakeReply {
  const profile = request.modelId.includes('micro') ? PROFILES.micro : PROFILES.pro;
  return { chunks: Array(profile.chunks).fill(CHUNK), firstByteDelayMs: profile.firstByteDelayMs, chunkDelayMs: profile.chunkDelayMs };
}

const AWS_ENV = (fake: FakeBedrockRuntime) => ({
  MODEL_PROVIDER: 'bedrock',
  AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
  AUTH_MODE: 'token',
  // One client IP (the bench) stands for every agent; per-user limits stay at their defaults.
  RATE_LIMIT_IP_PER_MINUTE: '10000000',
});

/** Korean questions: one (staff) lane, Micro + Pro per answer, no question translation. Unique per chat. */
const TOPICS = ['환불 규정', '계정 복구', '점검 시간', '결제 오류', '아이템 복구', '신고 방법', '보상 안내', '이벤트 참여'];
const question = (i: number, turn = 0) => `${TOPICS[i % TOPICS.length]} 문의 #${i}-${turn} 알려주세요`;

function lastUserText(request: RecordedRequest): string {
  const messages = request.body.messages ?? [];
  return messages.at(-1)?.content[0]?.text ?? '';
}

/** First overview delta at the client minus the moment the fake wrote Micro's first delta, per chat. */
function firstTokenOverheads(outcomes: { q: string; outcome: ChatOutcome }[], requests: RecordedRequest[]): number[] {
  const microByQuestion = new Map<string, RecordedRequest>();
  for (const r of requests) if (r.modelId.includes('micro') && r.operation === 'converse-stream') microByQuestion.set(lastUserText(r), r);
  const out: number[] = [];
  for (const { q, outcome } of outcomes) {
    const written = microByQuestion.get(q)?.firstDeltaAt;
    if (outcome.firstOverviewAt !== undefined && written !== undefined) out.push(outcome.firstOverviewAt - written);
  }
  return out;
}

function errorSummary(outcomes: ChatOutcome[]): string {
  const kinds = new Map<string, number>();
  for (const o of outcomes)
    if (!o.ok) kinds.set((o.error ?? 'unknown').slice(0, 80), (kinds.get((o.error ?? 'unknown').slice(0, 80)) ?? 0) + 1);
  return kinds.size === 0 ? 'none' : [...kinds].map(([k, n]) => `${n}× ${k}`).join('; ');
}

function warningSummary(outcomes: ChatOutcome[]): string {
  const kinds = new Map<string, number>();
  for (const o of outcomes) for (const w of o.warnings) kinds.set(w, (kinds.get(w) ?? 0) + 1);
  return kinds.size === 0 ? 'none' : [...kinds].map(([k, n]) => `${n}× ${k}`).join(', ');
}

function rssSampler(pids: number[], everyMs: number, maxSamples: number) {
  const samples: { t: number; rss: number[] }[] = [];
  const started = performance.now();
  const timer = setInterval(() => {
    if (samples.length >= maxSamples) return;
    samples.push({ t: performance.now() - started, rss: pids.map((pid) => rssOf(pid) ?? NaN) });
  }, everyMs);
  timer.unref();
  return { samples, stop: () => clearInterval(timer) };
}

// ---------------------------------------------------------------------------------------------

async function benchLoad(): Promise<string> {
  const levels = (process.env.LOAD_LEVELS ?? process.env.LOAD_CHATS ?? '100,500')
    .split(',')
    .map(Number)
    .filter((n) => n > 0 && n <= 5000);
  const max = Math.max(...levels);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-load-'));
  const fake = await startFakeBedrockRuntime({ script });
  const lag = selfLag();
  const rows: string[] = [];
  const notes: string[] = [];
  let server: ServerChild | undefined;
  try {
    const agents = await createTokens(
      { dataDir },
      Array.from({ length: max }, (_, i) => `agent-${i}`),
      'agent',
    );
    const admin = (await createTokens({ dataDir }, ['bench-admin'], 'admin')).get('bench-admin') as string;
    const srv = await startServer({ ...AWS_ENV(fake), DATA_DIR: dataDir });
    server = srv;
    // Warm-up: JIT, SDK client, SQLite pages, the fake's prompt cache.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runChat(srv.url, agents.get(`agent-${i}`) as string, { message: `워밍업 ${i}`, uiLanguage: 'ko' }),
      ),
    );
    for (const [level, chats] of levels.entries()) {
      fake.reset();
      const rssBefore = rssOf(srv.pid) ?? NaN;
      const before = await serverMetrics(srv.url, admin, true);
      lag.reset();
      const sampler = rssSampler([srv.pid], 250, 10_000);
      const started = performance.now();
      process.stdout.write(`load: ${chats} concurrent chats…\n`);
      const outcomes = await Promise.all(
        Array.from({ length: chats }, async (_, i) => {
          const q = question(i, level + 1);
          return { q, outcome: await runChat(srv.url, agents.get(`agent-${i}`) as string, { message: q, uiLanguage: 'ko' }) };
        }),
      );
      const wall = performance.now() - started;
      sampler.stop();
      const metrics = await serverMetrics(srv.url, admin);
      const overheads = firstTokenOverheads(outcomes, fake.requests);
      const list = outcomes.map((o) => o.outcome);
      const ok = list.filter((o) => o.ok);
      const ttft = ok.map((o) => (o.firstOverviewAt ?? NaN) - o.sentAt).filter(Number.isFinite);
      const completion = ok.map((o) => (o.doneAt ?? NaN) - o.sentAt).filter(Number.isFinite);
      const peakRss = Math.max(...sampler.samples.map((x) => x.rss[0] ?? NaN).filter(Number.isFinite), rssBefore);
      const cpuPerChat = ((metrics.cpuSeconds - before.cpuSeconds) * 1000) / chats;
      rows.push(
        `| ${chats} | ${list.length - ok.length} | ${fmtMs(percentile(overheads, 50))} | ${fmtMs(percentile(overheads, 99))} | ${fmtMs(percentile(ttft, 50))} | ${fmtMs(percentile(ttft, 99))} | ${fmtMs(percentile(completion, 50))} | ${fmtMs(percentile(completion, 99))} | ${fmtMs(metrics.eventLoopDelayMs.p50)} | ${fmtMs(metrics.eventLoopDelayMs.p99)} | ${fmtMs(metrics.eventLoopDelayMs.max)} | ${cpuPerChat.toFixed(0)} ms | ${mib(rssBefore).toFixed(0)} → ${mib(peakRss).toFixed(0)} MiB |`,
      );
      notes.push(
        `${chats} chats: errors ${errorSummary(list)}; warnings ${warningSummary(list)}; overhead measured for ${overheads.length}; wall ${(wall / 1000).toFixed(1)} s; bench-process event-loop delay p99 ${fmtMs(lag.percentile(99) / 1e6)}.`,
      );
      process.stdout.write(`${rows.at(-1)}\n`);
    }
    const exitCode = await srv.stop();
    return [
      `One \`dualnova serve\` process (SQLite, AUTH_MODE=token with one bearer token per simulated agent, default per-user limits), the real Bedrock SDK client against the wire-level fake on loopback; the load driver and the fake share the bench process. Levels run one after the other on the same process.`,
      `Simulated models: Micro 150 ms to first byte, 250 tok/s × 300 tokens; Pro 600 ms, 80 tok/s × 1000 tokens (4 tokens a chunk); ideal completion ${IDEAL_COMPLETION_MS} ms. **CPU per chat** is the server's own CPU time (user + system) divided by the chats of the level: it does not depend on what else the machine was running.`,
      '',
      '| concurrent chats | errors | first-token overhead p50 | p99 | time to first token p50 | p99 | completion p50 | p99 | server event-loop delay p50 | p99 | max | server CPU per chat | server RSS before → peak |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      ...notes.map((n) => `- ${n}`),
      `- Exit code after SIGTERM: ${exitCode}.`,
    ].join('\n');
  } finally {
    lag.disable();
    if (server && server.child.exitCode === null) await server.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

/** About ten evenly spaced samples, for seeing a plateau from a steady climb. */
function timeline(samples: { t: number; rss: number; heap: number; external: number }[], seconds: number): string {
  const step = Math.max(5, Math.round(seconds / 10));
  const picked: string[] = [];
  for (let at = 0; at <= seconds; at += step) {
    const s = samples.find((x) => x.t >= at * 1000);
    if (s) picked.push(`${Math.round(s.t / 1000)} s ${mib(s.rss).toFixed(0)}/${mib(s.heap).toFixed(0)}/${mib(s.external).toFixed(0)}`);
  }
  return picked.join(' · ');
}

async function benchSoak(): Promise<string> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 600);
  const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 100);
  // V8 keeps growing its heap reservation (and malloc its arenas) for the first minutes under a
  // steady load: RSS climbs, then oscillates around a plateau. Warm-up covers that ramp.
  const warmupMs = Math.min(180_000, seconds * 1000 * 0.3);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-soak-'));
  const fake = await startFakeBedrockRuntime({ script });
  let server: ServerChild | undefined;
  const samples: { t: number; rss: number; heap: number; external: number }[] = [];
  const outcomes: ChatOutcome[] = [];
  const started = performance.now();
  const endsAt = started + seconds * 1000;
  let warmedUp = false;
  try {
    const agents = await createTokens(
      { dataDir },
      Array.from({ length: concurrency }, (_, i) => `agent-${i}`),
      'agent',
    );
    const admin = (await createTokens({ dataDir }, ['bench-admin'], 'admin')).get('bench-admin') as string;
    const soakServer = await startServer({ ...AWS_ENV(fake), DATA_DIR: dataDir });
    server = soakServer;
    process.stdout.write(`soak: ${concurrency} concurrent chats for ${seconds} s (warm-up ${(warmupMs / 1000).toFixed(0)} s)…\n`);
    const sampler = setInterval(() => {
      void (async () => {
        const t = performance.now() - started;
        // The fake keeps every request; forget them so the bench process stays flat too.
        fake.reset();
        try {
          const m = await serverMetrics(soakServer.url, admin, !warmedUp && t >= warmupMs);
          if (!warmedUp && t >= warmupMs) warmedUp = true;
          if (samples.length < 10_000)
            samples.push({
              t,
              rss: rssOf(soakServer.pid) ?? m.memory.rssBytes,
              heap: m.memory.heapUsedBytes,
              external: m.memory.externalBytes,
            });
        } catch {
          // counted below through the chats themselves
        }
      })();
    }, 5000);
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        const token = agents.get(`agent-${worker}`) as string;
        let conversationId: string | undefined;
        // Bounded by time and by count (a chat takes ~13 s; 10 000 is far beyond any soak length).
        for (let n = 0; n < 10_000 && performance.now() < endsAt; n++) {
          const turn = n % 4;
          const outcome = await runChat(soakServer.url, token, {
            message: question(worker, n),
            uiLanguage: 'ko',
            ...(turn > 0 && conversationId ? { conversationId } : {}),
          });
          if (turn === 0 || !outcome.ok) conversationId = outcome.conversationId;
          outcomes.push(outcome);
          if (!outcome.ok) await sleep(1000);
        }
      }),
    );
    clearInterval(sampler);
    const metrics = await serverMetrics(soakServer.url, admin);
    const exitCode = await soakServer.stop();

    const after = samples.filter((s) => s.t >= warmupMs);
    const window = Math.min(60_000, (seconds * 1000 - warmupMs) / 4);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const base = after.filter((s) => s.t < warmupMs + window);
    const tail = after.filter((s) => s.t >= seconds * 1000 - window);
    const rssBase = mean(base.map((s) => s.rss));
    const rssEnd = mean(tail.map((s) => s.rss));
    const heapBase = mean(base.map((s) => s.heap));
    const heapEnd = mean(tail.map((s) => s.heap));
    const growth = ((rssEnd - rssBase) / rssBase) * 100;
    const peak = Math.max(...samples.map((s) => s.rss));
    const ok = outcomes.filter((o) => o.ok);
    const completion = ok.map((o) => (o.doneAt ?? NaN) - o.sentAt).filter(Number.isFinite);
    const lines = [
      `One \`dualnova serve\` process (SQLite, AUTH_MODE=token), ${concurrency} agents each asking back to back for ${seconds} s (four turns per conversation, then a new one), same simulated models as above. RSS from /proc every 5 s; warm-up ${(warmupMs / 1000).toFixed(0)} s; "after warm-up" and "end" are means over ${(window / 1000).toFixed(0)} s windows.`,
      '',
      '| duration | chats | errors | RSS after warm-up | RSS at end | growth | peak RSS | heap after warm-up → end | completion p50 | p99 | event-loop delay p99 (after warm-up) |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${seconds} s | ${outcomes.length} | ${outcomes.length - ok.length} | ${mib(rssBase).toFixed(0)} MiB | ${mib(rssEnd).toFixed(0)} MiB | ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % | ${mib(peak).toFixed(0)} MiB | ${mib(heapBase).toFixed(0)} → ${mib(heapEnd).toFixed(0)} MiB | ${fmtMs(percentile(completion, 50))} | ${fmtMs(percentile(completion, 99))} | ${fmtMs(metrics.eventLoopDelayMs.p99)} |`,
      '',
      `Errors: ${errorSummary(outcomes)}. Warnings: ${warningSummary(outcomes)}. Exit code after SIGTERM ${exitCode}. Target: RSS growth under 10 % after warm-up, no errors.`,
      '',
      `RSS / heap used / external (MiB) over time: ${timeline(samples, seconds)}.`,
    ];
    return lines.join('\n');
  } finally {
    if (server && server.child.exitCode === null) await server.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function benchPostgres(): Promise<string> {
  const chats = Number(process.env.PG_CHATS ?? 200);
  const adminUrl = new URL(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(adminUrl.hostname))
    throw new Error('the scale benchmark only talks to a PostgreSQL on loopback');
  const name = `dualnova_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const dbUrl = new URL(adminUrl.toString());
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  const dataDirs = [mkdtempSync(path.join(tmpdir(), 'dualnova-pg-a-')), mkdtempSync(path.join(tmpdir(), 'dualnova-pg-b-'))];
  const fake = await startFakeBedrockRuntime({ script });
  const servers: ServerChild[] = [];
  try {
    const agents = await createTokens(
      { dataDir: '', databaseUrl },
      Array.from({ length: chats }, (_, i) => `agent-${i}`),
      'agent',
    );
    const adminToken = (await createTokens({ dataDir: '', databaseUrl }, ['bench-admin'], 'admin')).get('bench-admin') as string;
    servers.push(
      ...(await Promise.all(dataDirs.map((dir) => startServer({ ...AWS_ENV(fake), DATA_DIR: dir, DATABASE_URL: databaseUrl })))),
    );
    const [a, b] = servers as [ServerChild, ServerChild];
    await Promise.all([a, b].map((s, k) => runChat(s.url, adminToken, { message: `워밍업 ${k}`, uiLanguage: 'ko' })));
    fake.reset();
    await Promise.all([a, b].map((s) => serverMetrics(s.url, adminToken, true)));
    process.stdout.write(`pg: ${chats} concurrent chats over two processes, then ${chats} continuations on the other process…\n`);

    const started = performance.now();
    const first = await Promise.all(
      Array.from({ length: chats }, async (_, i) => {
        const q = question(i, 0);
        return {
          i,
          q,
          outcome: await runChat((i % 2 === 0 ? a : b).url, agents.get(`agent-${i}`) as string, { message: q, uiLanguage: 'ko' }),
        };
      }),
    );
    const second = await Promise.all(
      first.map(async ({ i, outcome }) => {
        const q = question(i, 1);
        const body = { message: q, uiLanguage: 'ko', ...(outcome.conversationId ? { conversationId: outcome.conversationId } : {}) };
        return { i, q, outcome: await runChat((i % 2 === 0 ? b : a).url, agents.get(`agent-${i}`) as string, body) };
      }),
    );
    const wall = performance.now() - started;
    const overheads = firstTokenOverheads([...first, ...second], fake.requests);
    const metrics = await Promise.all([a, b].map((s) => serverMetrics(s.url, adminToken)));
    const rss = [a, b].map((s) => rssOf(s.pid) ?? NaN);
    const exitCodes = await Promise.all([a, b].map((s) => s.stop()));

    // Count rows: every question once, every answer once and complete, sequence numbers 1..4 without gaps.
    const q1 = async (text: string, params: unknown[] = []) => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        return (await c.query(text, params)).rows as Record<string, string | number>[];
      } finally {
        await c.end();
      }
    };
    const conversations = Number((await q1('select count(*)::int as n from conversations'))[0]?.n) - 2; // minus warm-up
    const userRows = await q1("select content from messages where role = 'user' and content not like '워밍업%'");
    const assistantRows = await q1(
      "select m.status, count(*)::int as n from messages m join conversations c on c.id = m.conversation_id where m.role = 'assistant' and c.title not like '워밍업%' group by m.status",
    );
    const duplicateSeq = Number(
      (await q1('select count(*)::int as n from (select conversation_id, seq from messages group by 1, 2 having count(*) > 1) d'))[0]?.n,
    );
    const badSequences = Number(
      (
        await q1(
          'select count(*)::int as n from (select conversation_id from messages group by 1 having min(seq) <> 1 or max(seq) <> count(*)) d',
        )
      )[0]?.n,
    );
    const usageRows = Number(
      (
        await q1("select count(*)::int as n from usage u join conversations c on c.id = u.conversation_id where c.title not like '워밍업%'")
      )[0]?.n,
    );
    const sent = new Set([...first, ...second].filter((x) => x.outcome.status === 200).map((x) => x.q));
    const stored = userRows.map((r) => String(r.content));
    const storedSet = new Set(stored);
    const lost = [...sent].filter((q) => !storedSet.has(q)).length;
    const duplicated = stored.length - storedSet.size;
    const complete = Number(assistantRows.find((r) => r.status === 'complete')?.n ?? 0);
    const notComplete = assistantRows.filter((r) => r.status !== 'complete').reduce((n, r) => n + Number(r.n), 0);
    const all = [...first, ...second].map((x) => x.outcome);
    const errors = all.filter((o) => !o.ok).length;

    const lines = [
      `Two \`dualnova serve\` processes on one new PostgreSQL 15 database (AUTH_MODE=token, pool of 10 connections each), same simulated models. Round 1: ${chats} concurrent chats, even ones on A, odd ones on B; round 2: each conversation continued at once on the *other* process. Rows counted afterwards.`,
      '',
      '| chats | errors | conversations | questions stored / sent | lost | duplicated | answers complete / other | duplicate (conversation, seq) | broken sequences | usage rows (expected) | first-token overhead p50 | p99 | event-loop delay p99 A / B | RSS A / B |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${chats} × 2 | ${errors} | ${conversations} | ${stored.length} / ${sent.size} | ${lost} | ${duplicated} | ${complete} / ${notComplete} | ${duplicateSeq} | ${badSequences} | ${usageRows} (${4 * chats}) | ${fmtMs(percentile(overheads, 50))} | ${fmtMs(percentile(overheads, 99))} | ${fmtMs(metrics[0]?.eventLoopDelayMs.p99 ?? NaN)} / ${fmtMs(metrics[1]?.eventLoopDelayMs.p99 ?? NaN)} | ${mib(rss[0] ?? NaN).toFixed(0)} / ${mib(rss[1] ?? NaN).toFixed(0)} MiB |`,
      '',
      `Errors: ${errorSummary(all)}. Warnings: ${warningSummary(all)}. Wall time ${(wall / 1000).toFixed(1)} s; exit codes after SIGTERM ${exitCodes.join(', ')}.`,
    ];
    return lines.join('\n');
  } finally {
    for (const s of servers) if (s.child.exitCode === null) await s.stop();
    await fake.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await admin.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------

function writeSection(name: string, body: string): void {
  // BENCH_PERFORMANCE_MD: where to record (a soak run from a copy of dist/ can still write here).
  writeReportSection(name, body, process.env.BENCH_PERFORMANCE_MD ?? path.join(PACKAGE_ROOT, 'docs', 'performance.md'));
}

async function main(): Promise<void> {
  const modes = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const write = process.argv.includes('--write');
  const run: [string, string, () => Promise<string>][] = [
    ['load', 'load', benchLoad],
    ['soak', 'soak', benchSoak],
    ['pg', 'scale-pg', benchPostgres],
  ];
  const chosen = modes.length === 0 ? ['load'] : modes;
  for (const mode of chosen) if (!run.some(([m]) => m === mode)) throw new Error(`unknown mode "${mode}" (load, soak, pg)`);
  for (const [mode, section, fn] of run) {
    if (!chosen.includes(mode)) continue;
    const report = await fn();
    process.stdout.write(`\n${report}\n\n`);
    if (write) writeSection(section, report);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
