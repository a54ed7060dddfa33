import { describe, expect, it } from 'vitest';
import { parseChunk } from '../../src/models/openai.js';
import { SseDataParser } from '../../src/models/openai-sse.js';

function parseAll(pieces: Uint8Array[]): string[] {
  const parser = new SseDataParser();
  const out: string[] = [];
  for (const piece of pieces) out.push(...parser.push(piece));
  out.push(...parser.end());
  return out;
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SseDataParser', () => {
  const stream = 'data: {"t":"환불 🎮"}\r\n\r\n: comment\n\nevent: ping\ndata: {"t":"b"}\n\ndata: [DONE]\n\n';
  const expected = ['{"t":"환불 🎮"}', '{"t":"b"}', '[DONE]'];

  it('parses whole events', () => {
    expect(parseAll([encode(stream)])).toEqual(expected);
  });

  it('gives the same events for every single split point and for byte-by-byte input', () => {
    const bytes = encode(stream);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(parseAll([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(expected);
    }
    expect(parseAll(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(expected);
  });

  it('joins multi-line data per the spec and flushes an unterminated last event', () => {
    expect(parseAll([encode('data: a\ndata: b\n\ndata: last')])).toEqual(['a\nb', 'last']);
  });

  it('splits JSON events separated by a single newline', () => {
    expect(parseAll([encode('data: {"a":1}\ndata: {"a":2}\ndata: [DONE]\n\n')])).toEqual(['{"a":1}', '{"a":2}', '[DONE]']);
  });

  it('handles lone CR line endings', () => {
    expect(parseAll([encode('data: x\r\rdata: y\r'), encode('\r')])).toEqual(['x', 'y']);
  });
});

describe('parseChunk', () => {
  it('reads content, finish reason and usage', () => {
    expect(parseChunk('{"choices":[{"delta":{"content":"hi"},"finish_reason":null}]}')).toEqual({ text: 'hi' });
    expect(parseChunk('{"choices":[{"delta":{},"finish_reason":"length"}]}')).toEqual({ finishReason: 'max_tokens' });
    expect(
      parseChunk('{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"prompt_tokens_details":{"cached_tokens":6}}}'),
    ).toEqual({ usage: { inputTokens: 9, outputTokens: 4, cacheReadInputTokens: 6, cacheWriteInputTokens: 0 } });
  });

  it('reports error payloads and ignores junk', () => {
    expect(parseChunk('{"error":{"message":"boom"}}')).toEqual({ error: 'boom' });
    expect(parseChunk('{"error":"model not loaded"}')).toEqual({ error: 'model not loaded' });
    expect(parseChunk('not json')).toEqual({});
  });
});
