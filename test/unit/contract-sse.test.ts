import { describe, expect, it } from 'vitest';
import { createSseParser, readSse, type SseMessage } from '../../src/contract/sse.js';

function parseChunks(chunks: (Uint8Array | string)[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createSseParser((m) => out.push(m));
  for (const c of chunks) parser.push(c);
  parser.end();
  return out;
}

const enc = new TextEncoder();

const stream = [
  'event: meta\ndata: {"conversationId":"c1","lanes":[{"lane":"ko","role":"customer"}]}\n\n',
  ': keep-alive\n\n',
  'event: delta\ndata: {"lane":"ko","part":"overview","text":"환불은 7일 이내 가능합니다 🎮"}\n\n',
  'event: done\ndata: {"messageId":"m2","status":"complete"}\n\n',
].join('');

describe('SSE parser', () => {
  it('parses whole events', () => {
    const events = parseChunks([stream]);
    expect(events.map((e) => e.event)).toEqual(['meta', 'delta', 'done']);
    expect(JSON.parse(events[1]!.data)).toEqual({ lane: 'ko', part: 'overview', text: '환불은 7일 이내 가능합니다 🎮' });
  });

  it('handles a chunk boundary at every byte, including inside multibyte UTF-8', () => {
    const bytes = enc.encode(stream);
    const whole = parseChunks([bytes]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const split = parseChunks([bytes.slice(0, cut), bytes.slice(cut)]);
      expect(split).toEqual(whole);
    }
  });

  it('handles one byte at a time', () => {
    const bytes = enc.encode(stream);
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(parseChunks(chunks)).toEqual(parseChunks([stream]));
  });

  it('accepts CRLF and CR line endings, even with CR and LF in different chunks', () => {
    const crlf = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r';
    expect(parseChunks([crlf]).map((e) => [e.event, e.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(parseChunks(['event: a\r', '\ndata: 1\r', '\n\r', '\n']).map((e) => [e.event, e.data])).toEqual([['a', '1']]);
  });

  it('joins multiple data lines, defaults the event name, strips one leading space only', () => {
    const events = parseChunks(['data:  two spaces\ndata:x\n\n']);
    expect(events).toEqual([{ event: 'message', data: ' two spaces\nx' }]);
  });

  it('drops an event cut off before its blank line', () => {
    expect(parseChunks(['event: delta\ndata: {"text":"par']).length).toBe(0);
  });

  it('readSse yields events from a ReadableStream split mid-character', async () => {
    const bytes = enc.encode(stream);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const names: string[] = [];
    for await (const m of readSse(body)) names.push(m.event);
    expect(names).toEqual(['meta', 'delta', 'done']);
  });
});
