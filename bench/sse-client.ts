import type { ChatEvent } from '../src/contract/chat.js';
import { readChatEvents } from '../src/contract/sse.js';

/** A chat event with its arrival time (performance.now()). */
export type TimedEvent = ChatEvent & { at: number };

/** POST /api/chat and collect its events, each timestamped on arrival (the contract's SSE reader). */
export async function postChat(url: string, body: unknown, signal?: AbortSignal): Promise<TimedEvent[]> {
  const response = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !response.body) throw new Error(`chat failed: HTTP ${response.status} ${await response.text()}`);
  const events: TimedEvent[] = [];
  for await (const { receivedAt, ...event } of readChatEvents(response.body)) events.push({ ...event, at: receivedAt });
  return events;
}
