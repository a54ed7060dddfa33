/** A minimal SSE-over-fetch client that timestamps every event on arrival. */
export interface TimedEvent {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

export async function postChat(url: string, body: unknown, signal?: AbortSignal): Promise<TimedEvent[]> {
  const response = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !response.body) throw new Error(`chat failed: HTTP ${response.status} ${await response.text()}`);
  const events: TimedEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    const at = performance.now();
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) events.push({ event: name, data: JSON.parse(data) as Record<string, unknown>, at });
    }
  }
  return events;
}
