import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { handleError } from '../../src/server/http/errors.js';

/** A real Fastify app with the server's error handler and a route that throws what it is given. */
function appThrowing(error: Error) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const loggerInstance: FastifyBaseLogger = createLogger('info', sink);
  const app = Fastify({ loggerInstance });
  app.setErrorHandler(handleError);
  app.get('/boom', async () => {
    throw error;
  });
  return { app, lines };
}

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('the error handler and database failures', () => {
  it.each([
    ['42501', 'permission denied for table conversations'],
    ['XX000', 'internal error'],
    ['57P01', 'terminating connection due to administrator command'],
  ])('SQL state %s is 503 database_unavailable with Retry-After, and the log line names the state', async (code, message) => {
    const { app, lines } = appThrowing(pgError(code, message));
    apps.push(app);
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({ error: { code: 'database_unavailable', message: expect.any(String) as string } });
    const logged = lines.find((l) => l.msg === 'database unavailable');
    expect(logged).toMatchObject({ level: 'error', sqlState: code });
  });

  it('a query bug stays a 500 internal_error (not every driver error is an outage)', async () => {
    const { app } = appThrowing(pgError('42P01', 'relation "nope" does not exist'));
    apps.push(app);
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ error: { code: 'internal_error' } });
  });
});

describe('a client that aborts its request body', () => {
  it('is logged at info as client_aborted, never as a database failure', async () => {
    const { app, lines } = appThrowing(new Error('unused'));
    apps.push(app);
    app.post('/echo', async (request) => ({ length: JSON.stringify(request.body).length }));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const { connect } = await import('node:net');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
        setImmediate(() => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    await expect.poll(() => lines.some((l) => l.event === 'client_aborted'), { timeout: 5000, interval: 20 }).toBe(true);
    expect(lines.find((l) => l.event === 'client_aborted')).toMatchObject({ level: 'info', err: { code: 'ECONNRESET' } });
    expect(lines.some((l) => l.msg === 'database unavailable' || l.level === 'error')).toBe(false);
  });
});
