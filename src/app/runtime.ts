import path from 'node:path';
import { systemClock, type Clock } from '../time/clock.js';
import { AwsClients } from '../aws/clients.js';
import type { DependencyMonitor } from '../aws/monitor.js';
import { observeRelayModels, observeRetriever } from '../aws/observe.js';
import { awsAccess, createDependencyMonitor } from '../aws/registry.js';
import type { StatusReport } from '../contract/status.js';
import { ChatService } from '../chat/answer-question.js';
import { PACKAGE_ROOT, type Settings } from '../config/settings.js';
import { loadGlossaryFile } from '../glossary/load.js';
import { GlossaryReloader, type GlossaryStatus } from '../glossary/reloader.js';
import type { Glossary } from '../glossary/types.js';
import { BedrockKbRetriever } from '../knowledge/bedrock-kb-retriever.js';
import { ingestFolder, type IngestResult } from '../knowledge/ingest.js';
import { resolveKbDocsDir } from '../knowledge/kb-folder.js';
import { LocalIndex } from '../knowledge/local-index.js';
import { LocalRetriever } from '../knowledge/local-retriever.js';
import type { Retriever } from '../knowledge/types.js';
import type { UiLanguage } from '../lang/languages.js';
import type { Logger } from '../log/logger.js';
import { PromptBuilder } from '../prompts/builder.js';
import { QuestionTranslator } from '../translate/question.js';
import { Translator } from '../translate/translator.js';
import { ConversationRepository } from '../store/conversations.js';
import { openStore, type Store } from '../store/database.js';
import { FeedbackRepository } from '../store/feedback.js';
import type { UsageLedger } from '../usage/ledger.js';
import { createUsage, loadPrices } from '../usage/index.js';
import type { UsageService } from '../usage/service.js';
import { estimateTokens } from '../prompts/tokens.js';
import { selectModels, type ModelSelection } from './models.js';
import { buildStatus, readinessOf } from './status.js';

export const SAMPLE_KB_DIR = path.join(PACKAGE_ROOT, 'kb', 'sample');

export interface Runtime {
  settings: Settings;
  logger: Logger;
  store: Store;
  conversations: ConversationRepository;
  feedback: FeedbackRepository;
  ledger: UsageLedger;
  /** GET /api/usage, per-conversation totals, `dualnova usage` (src/usage/service.ts). */
  usage: UsageService;
  chat: ChatService;
  models: ModelSelection;
  localIndex: LocalIndex;
  ingestReport: IngestResult;
  kbDocsDir: string;
  glossary: () => Glossary | null;
  /** Whether the glossary file on disk is in use or broken (the last good one stays loaded). */
  glossaryStatus: () => GlossaryStatus;
  /** The free-text translator (POST /api/translate, `dualnova translate`). */
  translator: Translator;
  examples: (language: UiLanguage) => Promise<string[]>;
  status: () => StatusReport;
  readiness: () => { ready: boolean; reasons: string[] };
  /** The dependency registry: cached check results (GET /api/status, `dualnova doctor`). */
  dependencies: DependencyMonitor;
  webRoot: string;
  close: () => Promise<void>;
}

export interface RuntimeOptions {
  /** Start the background dependency checks (default true; one-shot commands run them on demand or not at all). */
  checkDependencies?: boolean;
  /** The one time source for caches, probes, budgets and reloads (default: the system clock; tests advance a manual one). */
  clock?: Clock;
}

/** The composition root: everything the server and the CLI share, chosen once from settings. */
export async function createRuntime(settings: Settings, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  // A bad PRICES_FILE stops start-up (SettingsError, exit 2) before anything is opened.
  const prices = loadPrices(settings, logger);
  const clock = options.clock ?? systemClock;
  const clients = new AwsClients();
  const store = await openStore({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    onPoolError: (error) => logger.warn({ err: { name: error.name, message: error.message } }, 'idle database connection lost'),
  });
  // The glossary is re-read when its file changes; each new glossary gets a new PromptBuilder
  // (the cached prompt prefix holds the glossary, so it changes only when the glossary does).
  const initialGlossary = loadGlossaryFile(settings.glossaryFile);
  let prompts = new PromptBuilder(initialGlossary);
  const glossaryReloader = new GlossaryReloader(settings.glossaryFile, initialGlossary, {
    onReload: (next) => {
      prompts = new PromptBuilder(next);
    },
    log: logger,
    clock,
  });
  glossaryReloader.start();

  const localIndex = new LocalIndex(path.join(settings.dataDir, 'kb-index.sqlite'));
  const kbDocsDir = resolveKbDocsDir(settings.kbDocsDir, settings.dataDir, SAMPLE_KB_DIR);
  const ingestReport = ingestFolder(localIndex, kbDocsDir);
  logger.info({ kbDocsDir, ...ingestReport }, 'local knowledge base indexed');
  const local = new LocalRetriever(localIndex);
  const bedrockKb: Retriever | undefined = settings.knowledgeBaseId
    ? new BedrockKbRetriever(clients.bedrockAgentRuntime(settings.bedrockRegion), settings.knowledgeBaseId, settings.retrieveTopK)
    : undefined;

  const models = selectModels(settings, clients);
  logger.info(
    { provider: models.provider, reason: models.reason, fast: models.relay.overview.modelId, detail: models.relay.detail.modelId },
    'model provider selected',
  );
  // Dependency registry (src/aws): checks in the background, never on the request path; real model and
  // knowledge-base calls report what they see, and a knowledge base known to be unusable is skipped.
  const dependencies = createDependencyMonitor({ settings, clients, store, provider: models.provider, logger, clock });
  observeRelayModels(models.relay, dependencies);
  const knowledgeBase =
    bedrockKb && settings.knowledgeBaseId ? observeRetriever(bedrockKb, dependencies, settings.knowledgeBaseId) : undefined;
  if (options.checkDependencies !== false) dependencies.start();

  // Token accounting (src/usage): price book, ledger with budget counters and EMF lines, daily
  // budgets, the CloudWatch reader (background, cached; never called without AWS credentials).
  const usage = createUsage({
    settings,
    db: store.db,
    logger,
    prices,
    provider: models.provider,
    relay: models.relay,
    translationModelId: models.provider === 'offline' ? undefined : (settings.translationModelId ?? models.relay.overview.modelId),
    prefixTokens: () => estimateTokens(prompts.staticSystem),
    cloudwatch: () => clients.cloudwatch(settings.bedrockRegion),
    awsAccess: awsAccess(settings),
    clock,
  });
  usage.service.start();
  const price = usage.price;
  // Question and free-text translation: the fast model unless TRANSLATION_MODEL_ID names another; none offline.
  const translationModel =
    models.provider === 'offline'
      ? null
      : { model: models.relay.overview.model, modelId: settings.translationModelId ?? models.relay.overview.modelId };

  const conversations = new ConversationRepository(store.db);
  const feedback = new FeedbackRepository(store.db);
  const ledger = usage.ledger;
  const chat = new ChatService({
    conversations,
    ledger,
    retriever: knowledgeBase ?? local,
    fallbackRetriever: knowledgeBase ? local : undefined,
    relay: {
      models: models.relay,
      prompts,
      historyTokenBudget: settings.historyTokenBudget,
      price,
    },
    staffLanguage: settings.staffLanguage,
    retrieveTopK: settings.retrieveTopK,
    logger,
    budget: usage.answerBudget,
    glossary: () => glossaryReloader.current(),
    prompts: () => prompts,
    ...(translationModel
      ? {
          questionTranslator: new QuestionTranslator({
            model: translationModel,
            prompts: () => prompts,
            timeoutMs: settings.translationTimeoutMs,
            price,
          }),
        }
      : {
          offline: {
            reason: 'offline mode has no model that can translate',
            catalogue: localIndex.documents().map(({ id, title }) => ({ id, title })),
          },
        }),
  });
  const translator = new Translator({
    model: translationModel,
    unavailableReason:
      'Translation needs a model, and dualnova runs in offline mode (no model provider). Set MODEL_PROVIDER=bedrock (with AWS credentials) or MODEL_PROVIDER=openai to translate.',
    prompts: () => prompts,
    glossary: () => glossaryReloader.current(),
    staffLanguage: settings.staffLanguage,
    customerLanguage: settings.customerLanguage,
    price,
    ledger,
    logger,
    ...(usage.budgets.enabled ? { budgetCheck: (userId: string | null) => usage.budgets.check(userId) } : {}),
  });

  const status = () => buildStatus({ settings, models, store, kbDocsDir, documents: localIndex.stats().documents, dependencies });
  return {
    settings,
    logger,
    store,
    conversations,
    feedback,
    ledger,
    usage: usage.service,
    chat,
    models,
    localIndex,
    ingestReport,
    kbDocsDir,
    glossary: () => glossaryReloader.current(),
    glossaryStatus: () => glossaryReloader.status(),
    translator,
    examples: async (language) => local.sampleQuestions(6, language).map((q) => q.text),
    status,
    readiness: () => readinessOf({ models, dependencies }),
    dependencies,
    webRoot: path.join(PACKAGE_ROOT, 'dist', 'web'),
    close: async () => {
      glossaryReloader.stop();
      await usage.service.stop();
      await dependencies.stop();
      clients.destroy();
      localIndex.close();
      await store.close();
    },
  };
}
