import type { ServerDependencies } from '../server/dependencies.js';
import type { Runtime } from './runtime.js';

/** What the HTTP server needs from the composed runtime; callers add security, web root and limits. */
export function serverDependencies(runtime: Runtime, extra: Partial<ServerDependencies> = {}): ServerDependencies {
  return {
    logger: runtime.logger,
    chat: runtime.chat,
    conversations: runtime.conversations,
    feedback: runtime.feedback,
    status: runtime.status,
    readiness: runtime.readiness,
    examples: runtime.examples,
    glossary: runtime.glossary,
    glossaryStatus: runtime.glossaryStatus,
    translator: runtime.translator,
    usage: runtime.usage,
    maxMessageChars: runtime.settings.maxMessageChars,
    ...extra,
  };
}
