/**
 * The SSE side of the contract, for both ends: `encodeSseEvent` writes one chat event as the server
 * sends it; `createSseParser` and `readChatEvents` read a stream of them (web app, CLI, benchmarks,
 * tests). Platform-neutral: fetch bodies, TextDecoder, no Node or DOM specifics.
 */
import type { ChatEvent, ChatEventName } from './chat.js';
import { CHAT_EVENT_NAMES } from './codes.js';

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** One event in the wire format: `event: <name>`, `data: <JSON>`, blank line. JSON never contains a raw newline. */
export function encodeSseEvent(event: ChatEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export interface SseParser {
  /** Feeds raw bytes (or already-decoded text); calls `onMessage` for every complete event. */
  push(chunk: Uint8Array | string): void;
  /** Flushes the decoder. An event without its terminating blank line is dropped, as the spec says. */
  end(): void;
}

/**
 * A parser that accepts the body in arbitrary byte chunks: a chunk may end anywhere — inside a
 * field, between CR and LF, or inside a multibyte UTF-8 character (TextDecoder with `stream: true`
 * keeps the partial bytes for the next chunk).
 */
export function createSseParser(onMessage: (message: SseMessage) => void): SseParser {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let skipLeadingLf = false; // the previous text ended with CR: a following LF belongs to it
  let eventName = '';
  let dataLines: string[] = [];
  let lastId: string | undefined;

  const dispatch = () => {
    if (dataLines.length === 0) {
      eventName = '';
      return;
    }
    const message: SseMessage = { event: eventName || 'message', data: dataLines.join('\n') };
    if (lastId !== undefined) message.id = lastId;
    eventName = '';
    dataLines = [];
    onMessage(message);
  };

  const processLine = (line: string) => {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        eventName = value;
        break;
      case 'data':
        dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) lastId = value;
        break;
      default:
        break; // `retry` and unknown fields are irrelevant here
    }
  };

  const processText = (input: string) => {
    let text = input;
    if (text === '') return;
    if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    skipLeadingLf = false;
    buffer += text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer.charCodeAt(i);
      if (ch === 10 /* \n */ || ch === 13 /* \r */) {
        processLine(buffer.slice(start, i));
        if (ch === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
    }
    buffer = buffer.slice(start);
  };

  return {
    push(chunk) {
      processText(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    },
    end() {
      processText(decoder.decode());
      buffer = '';
      dataLines = [];
      eventName = '';
    },
  };
}

/** Reads a fetch body as SSE messages. Rejects if the stream errors (a network drop, an abort). */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const queue: SseMessage[] = [];
  const parser = createSseParser((m) => queue.push(m));
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        parser.end();
        yield* queue.splice(0);
        return;
      }
      parser.push(value);
      yield* queue.splice(0);
    }
  } finally {
    // The consumer stopped early (or the read failed): release the connection.
    if (!finished) void reader.cancel().catch(() => undefined);
  }
}

const NAMES: ReadonlySet<string> = new Set<string>(CHAT_EVENT_NAMES);

/** A chat event as it arrived, with the arrival time (performance.now()) for latency measurements. */
export type ReceivedChatEvent = ChatEvent & { receivedAt: number };

/**
 * The chat events of a POST /api/chat body, typed by the contract. Unknown events and malformed
 * JSON are skipped, not fatal (a newer server may send more); a dropped connection rejects.
 * Validating `data` against the schemas is the caller's choice (tests do; the web app trusts the
 * server it was built with).
 */
export async function* readChatEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ReceivedChatEvent> {
  for await (const message of readSse(body)) {
    if (!NAMES.has(message.event)) continue;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      continue;
    }
    if (data === null || typeof data !== 'object') continue;
    yield { event: message.event as ChatEventName, data, receivedAt: performance.now() } as ReceivedChatEvent;
  }
}

/** The events of one name, typed by it (`eventsNamed(events, 'delta')[0].data.text`). */
export function eventsNamed<T extends { event: string }, N extends T['event']>(events: readonly T[], name: N): Extract<T, { event: N }>[] {
  return events.filter((e): e is Extract<T, { event: N }> => e.event === name);
}

/** The data of the first event of that name, if any (`dataOf(events, 'meta')?.conversationId`). */
export function dataOf<T extends { event: string; data: unknown }, N extends T['event']>(
  events: readonly T[],
  name: N,
): Extract<T, { event: N }>['data'] | undefined {
  return eventsNamed(events, name)[0]?.data;
}
