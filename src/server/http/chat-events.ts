import type { AnswerEvent } from '../../chat/answer-events.js';
import type { ChatEvent } from '../../contract/chat.js';

/** The contract's chat event for an answer event: the one place the SSE wire format is written from the use case's terms. */
export function toChatEvent(event: AnswerEvent): ChatEvent {
  switch (event.type) {
    case 'started': {
      const { type: _type, translatedQuestion, ...meta } = event;
      return { event: 'meta', data: { ...meta, ...(translatedQuestion !== undefined ? { translatedQuestion } : {}) } };
    }
    case 'sources':
      return { event: 'references', data: { documents: event.references } };
    case 'text':
      return { event: 'delta', data: { lane: event.lane, part: event.part, text: event.text } };
    case 'part_finished': {
      const { lane, part, model, usage, latencyMs, costUsd, status } = event.result;
      return { event: 'part_end', data: { lane, part, model, usage, latencyMs, costUsd, status } };
    }
    case 'notice':
      return {
        event: 'warning',
        data: {
          code: event.code,
          message: event.message,
          ...(event.lane ? { lane: event.lane } : {}),
          ...(event.part ? { part: event.part } : {}),
          ...(event.violations
            ? {
                terms: event.violations.map((v) => ({
                  term: v.term,
                  expected: v.expected,
                  ...(v.found !== undefined ? { found: v.found } : {}),
                })),
              }
            : {}),
        },
      };
    case 'failed':
      return { event: 'error', data: { code: event.code, message: event.message } };
    case 'finished': {
      const { type: _type, ...done } = event;
      return { event: 'done', data: done };
    }
  }
}
