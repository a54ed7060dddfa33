import type { ChatService } from '../chat/answer-question.js';
import type { Glossary, GlossaryStatus } from '../contract/glossary.js';
import type { UiLanguage } from '../contract/languages.js';
import type { StatusReport } from '../contract/status.js';
import type { Logger } from '../log/logger.js';
import type { ConversationRepository } from '../store/conversations.js';
import type { FeedbackRepository } from '../store/feedback.js';
import type { Translator } from '../translate/translator.js';
import type { UsageReporter } from '../usage/service.js';
import type { ServerSecurity } from './plugins/security.js';

/** What the HTTP server is built from (src/app/server-dependencies.ts composes it from the runtime). */
export interface ServerDependencies {
  logger: Logger;
  chat: ChatService;
  conversations: ConversationRepository;
  feedback: FeedbackRepository;
  status: () => StatusReport;
  readiness: () => { ready: boolean; reasons: string[] };
  examples: (language: UiLanguage) => Promise<string[]>;
  glossary: () => Glossary | null;
  /** Hot-reload state of the glossary file; GET /api/glossary/status. */
  glossaryStatus?: () => GlossaryStatus;
  /** POST /api/translate; absent or unavailable = 503 translation_unavailable. */
  translator?: Translator;
  /** GET /api/usage, /api/alarms and the per-conversation usage totals (src/usage); absent = 503 usage_unavailable. */
  usage?: UsageReporter;
  maxMessageChars: number;
  /** Folder of the built web app; served at / when it exists. */
  webRoot?: string;
  bodyLimitBytes?: number;
  /** Login, roles, rate limits, headers (securityFromSettings). Absent: loopback single-user mode without limits. */
  security?: ServerSecurity;
}
