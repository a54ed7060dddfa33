import type { Socket } from 'node:net';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy between the browser and the dualnova server that can slow down or cut the
 * POST /api/chat event stream. The offline provider answers in a few milliseconds; the browser
 * tests need an answer that is still streaming when they press Escape, and a connection that
 * drops mid-answer. Everything else passes straight through.
 *
 * When the browser aborts, the proxy closes its upstream request too, so the server sees the
 * disconnect exactly as it would without the proxy.
 */
export interface DripProxy {
  url: string;
  /** Delay before each SSE event of /api/chat (0 = pass through). */
  setEventDelay(ms: number): void;
  /** Cut the browser's connection after this many events of the next /api/chat (null = never). */
  cutAfterEvents(count: number | null): void;
  /** How the browser's side of the latest /api/chat ended: read to the end, or closed early (abort). */
  lastChatOutcome(): Promise<'finished' | 'closed-early'>;
  close(): Promise<void>;
}

export async function startDripProxy(target: string): Promise<DripProxy> {
  const upstream = new URL(target);
  let delayMs = 0;
  let cutAfter: number | null = null;
  let chatOutcome: Promise<'finished' | 'closed-early'> = Promise.resolve('finished');
  const sockets = new Set<Socket>();

  const isChat = (req: IncomingMessage) => req.method === 'POST' && (req.url ?? '').split('?')[0] === '/api/chat';

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const chat = isChat(req);
    const cut = chat ? cutAfter : null;
    if (chat) cutAfter = null;
    let settle: (outcome: 'finished' | 'closed-early') => void = () => undefined;
    if (chat) chatOutcome = new Promise((resolve) => (settle = resolve));

    const proxied = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // Host is passed on as the browser sent it (as a load balancer does): the server's
        // same-origin check compares it with Origin.
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        const streaming = chat && (up.headers['content-type'] ?? '').startsWith('text/event-stream');
        if (!streaming) {
          up.pipe(res);
          return;
        }
        res.flushHeaders();
        // Re-emit the stream one event at a time, with a pause before each.
        let buffer = '';
        let sent = 0;
        let chain = Promise.resolve();
        const emit = (event: string) => {
          chain = chain.then(async () => {
            if (res.destroyed) return;
            if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
            if (res.destroyed) return;
            if (cut !== null && sent >= cut) {
              res.destroy(); // the network drop: no terminating chunk
              proxied.destroy();
              return;
            }
            res.write(event);
            sent++;
          });
        };
        up.setEncoding('utf8');
        up.on('data', (text: string) => {
          buffer += text;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            emit(buffer.slice(0, end + 2));
            buffer = buffer.slice(end + 2);
          }
        });
        up.on('end', () => {
          chain = chain.then(() => {
            if (!res.destroyed) res.end(buffer);
          });
        });
      },
    );
    proxied.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.destroy();
    });
    // The browser went away (Escape / abort): drop the upstream request, as a direct client would.
    res.on('close', () => {
      const early = !res.writableFinished;
      if (early) proxied.destroy();
      settle(early ? 'closed-early' : 'finished');
    });
    req.pipe(proxied);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setEventDelay: (ms) => {
      delayMs = ms;
    },
    cutAfterEvents: (count) => {
      cutAfter = count;
    },
    lastChatOutcome: () => chatOutcome,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
