import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../../bench/sse-client.js';
import { ROOT } from '../helpers/server-process.js';
import { HEALTH_PROBE, RDS_CA_BUNDLE, WRITABLE_PATHS } from '../../infra/lib/service/service.js';
import { readDockerfile, stageEnv, type Dockerfile, type Stage } from './dockerfile.js';

/**
 * The container image without a Docker engine: the runtime stage of the Dockerfile is rebuilt in a
 * temporary folder outside the repository (so nothing can be resolved from the repository's
 * node_modules), from exactly the files its COPY lines name, and the server is started from there.
 *
 * One deliberate shortcut: production dependencies are installed with `npm ci --omit=dev
 * --ignore-scripts` and better-sqlite3's compiled binary is copied from the repository's
 * node_modules (built for this Node and CPU by `npm ci`). In the image, `npm ci --omit=dev` runs the
 * install script and builds the binary for Node 22 and the target architecture; rebuilding it here
 * would add about a minute and prove nothing more. The test checks that better-sqlite3 is the only
 * production package with an install script, so the shortcut cannot hide another one.
 */

const dockerfile: Dockerfile = readDockerfile(path.join(ROOT, 'Dockerfile'));
const runtime = dockerfile.stages.at(-1)!;
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};

interface Lockfile {
  packages: Record<string, { dev?: boolean; devOptional?: boolean; hasInstallScript?: boolean }>;
}
const lockfile = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;

let work: string;
let app: string;
let child: ChildProcess | undefined;
let output = '';
let url = '';

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** Reproduces one COPY of the runtime stage into `app`; an unknown COPY fails the test so this file is kept in step. */
function reproduceCopy(words: string[], from: string | undefined, prodDeps: string): string {
  const [source, destination] = [words.slice(0, -1), words.at(-1)!];
  if (source.length !== 1) throw new Error(`COPY with several sources is not reproduced: ${words.join(' ')}`);
  const src = source[0]!;
  // `COPY package.json ./` copies into the folder; `COPY kb ./kb` names the target.
  const dest =
    destination.endsWith('/') || destination === '.' ? path.join(app, destination, path.basename(src)) : path.join(app, destination);
  const key = `${from ?? 'context'}:${src}`;
  switch (key) {
    case 'prod-deps:/app/node_modules':
      // A move, not a copy: same bytes, and 85 MB of small files copy slowly.
      renameSync(path.join(prodDeps, 'node_modules'), dest);
      break;
    case 'build:/app/dist/src':
    case 'build:/app/dist/web':
      // `npm run build` in the build stage = the repository's dist/ (npm test builds before vitest runs).
      cpSync(path.join(ROOT, src.replace(/^\/app\//, '')), dest, { recursive: true });
      break;
    case 'context:kb':
    case 'context:package.json':
      cpSync(path.join(ROOT, src), dest, { recursive: true });
      break;
    default:
      throw new Error(`the runtime stage copies ${key}, which this test does not reproduce yet`);
  }
  return key;
}

beforeAll(async () => {
  for (const built of ['dist/src/cli/main.js', 'dist/web/index.html']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  work = mkdtempSync(path.join(tmpdir(), 'dualnova-image-'));
  app = path.join(work, 'app');
  mkdirSync(app);

  // prod-deps stage: package.json + package-lock.json, then a production-only install.
  const prodDeps = path.join(work, 'prod-deps');
  mkdirSync(prodDeps);
  for (const instruction of stage('prod-deps').instructions.filter((i) => i.keyword === 'COPY')) {
    for (const file of instruction.words.slice(0, -1)) cpSync(path.join(ROOT, file), path.join(prodDeps, file));
  }
  const started = Date.now();
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], prodDeps);
  const binary = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(path.dirname(path.join(prodDeps, binary)), { recursive: true });
  cpSync(path.join(ROOT, binary), path.join(prodDeps, binary));
  process.stdout.write(`production install: ${Date.now() - started} ms\n`);

  // runtime stage: its COPY lines, in order.
  for (const instruction of runtime.instructions.filter((i) => i.keyword === 'COPY'))
    reproduceCopy(instruction.words, instruction.flags.from, prodDeps);
  const workdirs = runtime.instructions.filter((i) => i.keyword === 'WORKDIR').map((i) => i.words[0]);
  expect(workdirs).toEqual(['/app']);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    ...stageEnv(runtime),
    // The image listens on 0.0.0.0:8080; the test keeps to loopback and a free port.
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: path.join(work, 'data'),
    MODEL_PROVIDER: 'offline',
    LOG_LEVEL: 'warn',
    AWS_CONFIG_FILE: path.join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  // The RDS CA bundle is downloaded by the image build (ADD); it only matters for PostgreSQL over TLS.
  delete env.NODE_EXTRA_CA_CERTS;
  child = spawn(process.execPath, ['dist/src/cli/main.js', 'serve'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    child?.stdout?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child?.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  it('runs the built server on Node 22 slim as a non-root user, with a /healthz HEALTHCHECK', () => {
    expect(dockerfile.args.NODE_IMAGE).toBe('node:22-bookworm-slim');
    expect(runtime.from).toBe('${NODE_IMAGE}');
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['toolchain', 'deps', 'build', 'prod-deps', 'runtime']);
    const users = runtime.instructions.filter((i) => i.keyword === 'USER').map((i) => i.words[0]);
    expect(users).toEqual(['node']);
    expect(stageEnv(runtime)).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8080' });
    const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toContain('/healthz');
    expect(healthcheck?.args).not.toMatch(/curl|wget/);
    // ECS ignores HEALTHCHECK; the task definition restates the same probe.
    const probe = JSON.parse(healthcheck!.args.slice(healthcheck!.args.indexOf('CMD [') + 4)) as string[];
    expect(probe).toEqual(['node', '-e', HEALTH_PROBE]);
    expect(runtime.instructions.find((i) => i.keyword === 'CMD')?.words).toEqual(['node', 'dist/src/cli/main.js', 'serve']);
  });

  it('installs production dependencies only, builds with `npm run build`, and fetches nothing by architecture', () => {
    const runs = (name: string) =>
      stage(name)
        .instructions.filter((i) => i.keyword === 'RUN')
        .map((i) => i.words.join(' '));
    expect(runs('prod-deps')).toEqual(['npm ci --omit=dev']);
    expect(runs('deps')).toEqual(['npm ci']);
    expect(runs('build')).toEqual(['npm run build']);
    expect(runs('runtime').join(' ')).not.toMatch(/npm (ci|install)/);
    for (const s of dockerfile.stages) {
      for (const i of s.instructions) expect(i.args, `${s.name}: ${i.keyword} ${i.args}`).not.toMatch(/amd64|x86_64|arm64|aarch64/);
    }
  });

  it('declares every path the ECS task mounts writable as a VOLUME, owned by the runtime user where the app writes', () => {
    const volumes = runtime.instructions.filter((i) => i.keyword === 'VOLUME').flatMap((i) => i.words);
    expect(volumes.sort()).toEqual(Object.values(WRITABLE_PATHS).sort());
    expect(stageEnv(runtime).DATA_DIR).toBe(WRITABLE_PATHS.data);
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && i.args.includes(`chown node:node ${WRITABLE_PATHS.data}`))).toBe(true);
  });

  it('carries the RDS certificate bundle where the stack tells the app to find it (DB_SSL_CA_FILE)', () => {
    const add = runtime.instructions.filter((i) => i.keyword === 'ADD');
    expect(add).toHaveLength(1);
    expect(add[0]!.words).toEqual(['https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem', RDS_CA_BUNDLE]);
  });

  it('copies exactly the production node_modules, the built server and web app, the knowledge base and package.json', () => {
    const copies = runtime.instructions
      .filter((i) => i.keyword === 'COPY')
      .map((i) => `${i.flags.from ?? 'context'}:${i.words.slice(0, -1).join(' ')}`);
    expect(copies).toEqual([
      'prod-deps:/app/node_modules',
      'build:/app/dist/src',
      'build:/app/dist/web',
      'context:kb',
      'context:package.json',
    ]);
  });
});

describe('the image contents, reproduced without Docker', () => {
  it('holds no development dependency and no compiler-only package', () => {
    const devOnly = Object.entries(lockfile.packages)
      .filter(([name, info]) => name.startsWith('node_modules/') && (info.dev || info.devOptional))
      .map(([name]) => name);
    expect(devOnly.length).toBeGreaterThan(10);
    const installed = devOnly.filter((name) => existsSync(path.join(app, name)));
    expect(installed).toEqual([]);
    for (const tool of ['typescript', 'vite', 'vitest', 'aws-cdk-lib', 'tsx', 'react'])
      expect(existsSync(path.join(app, 'node_modules', tool)), tool).toBe(false);
    // The shortcut above (copying one native binary) covers every production install script.
    const scripted = Object.entries(lockfile.packages)
      .filter(([, info]) => info.hasInstallScript && !info.dev && !info.devOptional)
      .map(([name]) => name);
    expect(scripted).toEqual(['node_modules/better-sqlite3']);
    expect(readdirSync(app).sort()).toEqual(['dist', 'kb', 'node_modules', 'package.json']);
  });

  it('starts and answers /healthz and /readyz', async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status, await ready.clone().text()).toBe(200);
  });

  it('serves the web app', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers a chat question to the end (offline provider, shipped knowledge base)', async () => {
    const events = await postChat(url, { message: '환불은 며칠 안에 신청할 수 있나요?', uiLanguage: 'ko' });
    expect(events[0]?.event).toBe('meta');
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  });
});
