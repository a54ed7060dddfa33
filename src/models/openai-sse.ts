/**
 * Incremental server-sent-events parser: bytes in, complete `data` payloads out. Network chunks
 * may split a line, a CRLF pair or a multi-byte UTF-8 character anywhere; the decoder runs in
 * stream mode and the line buffer keeps whatever is incomplete for the next chunk.
 */
export class SseDataParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private data: string[] = [];

  push(bytes: Uint8Array): string[] {
    return this.consume(this.decoder.decode(bytes, { stream: true }), false);
  }

  /** Flushes the decoder and whatever event was still open when the stream ended. */
  end(): string[] {
    const payloads = this.consume(this.decoder.decode(), true);
    if (this.data.length > 0) payloads.push(...this.dispatch());
    return payloads;
  }

  private consume(text: string, final: boolean): string[] {
    const buffer = this.buffer + text;
    const payloads: string[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const code = buffer.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      // A CR at the very end may be the first half of a CRLF still in flight.
      if (code === 13 && i + 1 === buffer.length && !final) break;
      this.line(buffer.slice(start, i), payloads);
      if (code === 13 && buffer.charCodeAt(i + 1) === 10) i += 1;
      start = i + 1;
    }
    this.buffer = buffer.slice(start);
    if (final && this.buffer !== '') {
      this.line(this.buffer, payloads);
      this.buffer = '';
    }
    return payloads;
  }

  private line(line: string, payloads: string[]): void {
    if (line === '') {
      if (this.data.length > 0) payloads.push(...this.dispatch());
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
  }

  private dispatch(): string[] {
    const lines = this.data;
    this.data = [];
    const joined = lines.join('\n');
    // Per the SSE spec consecutive data lines form one event, but some OpenAI-compatible servers
    // separate events with a single newline; such a "joined" payload is several JSON documents.
    if (lines.length > 1 && !isJson(joined) && lines.every((line) => line === '[DONE]' || isJson(line))) {
      return lines;
    }
    return [joined];
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
