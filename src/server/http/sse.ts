import type { ServerResponse } from 'node:http';
import type { ChatEvent } from '../../contract/chat.js';
import { encodeSseEvent } from '../../contract/sse.js';

const HEARTBEAT_MS = 15_000;

/**
 * Writes server-sent events onto a raw response. A comment line every 15 s keeps idle proxies
 * (the ALB's 60 s idle timeout) from closing a stream while a slow model is still thinking.
 */
export class SseWriter {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Explicit: leaving the header to Node made an aborted, stalled stream hold server.close()
      // (test/integration/limits-abuse.test.ts). Close only when the client asked for it.
      connection: /\bclose\b/i.test(res.req.headers.connection ?? '') ? 'close' : 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    res.once('close', () => this.stop());
  }

  send(event: ChatEvent): void {
    this.write(encodeSseEvent(event));
  }

  end(): void {
    this.stop();
    if (!this.res.writableEnded) this.res.end();
  }

  private write(chunk: string): void {
    if (this.closed || this.res.writableEnded || this.res.destroyed) return;
    this.res.write(chunk);
  }

  private stop(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
  }
}
