import path from 'node:path';
import { systemClock, type Clock } from '../time/clock.js';
import { AwsClients } from '../aws/clients.js';
import type { DependencyMonitor } from '../aws/monitor.js';
import { observeModel, observeRetriever } from '../aws/observe.js';
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
import { createUsage, loadPrices, type UsageParts } from '../usage/index.js';
import type { UsageService } from '../usage/service.js';
import { estimateTokens } from '../prompts/tokens.js';
import { chooseProvider, selectModels, type ModelSelection } from './models.js';
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
  /** The usage parts (ledger, budgets, CloudWatch reader, prices) for `dualnova usage` and `alarms`. */
  usageParts: UsageParts;
  clients: AwsClients;
  webRoot: string;
  close: () => Promise<void>;
}

export interface RuntimeOptions {
  /**
   * Start the background work a server needs (default true): dependency checks, the glossary file
   * watcher and the budget sweeper. One-shot commands pass false and run checks on demand or not at all.
   */
  background?: boolean;
  /** The one time source for caches, probes, budgets and reloads (default: the system clock; tests advance a manual one). */
  clock?: Clock;
  /** Where credentials and provider hints are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A value built on first use, once; `isBuilt` tells whether anything needs closing. */
function lazy<T>(build: () => T): (() => T) & { isBuilt(): boolean } {
  let built: { value: T } | undefined;
  return Object.assign(() => (built ??= { value: build() }).value, { isBuilt: () => built !== undefined });
}

/**
 * The composition root: everything the server and the CLI share, chosen once from settings. Parts
 * are built on first use, so each command composes only what it touches: `dualnova translate`
 * never indexes the knowledge base, and no command but `serve` starts background loops.
 */
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

  const kbDocsDir = resolveKbDocsDir(settings.kbDocsDir, settings.dataDir, SAMPLE_KB_DIR);
  const knowledge = lazy(() => {
    const index = new LocalIndex(path.join(settings.dataDir, 'kb-index.sqlite'));
    const report = ingestFolder(index, kbDocsDir);
    logger.info({ kbDocsDir, ...report }, 'local knowledge base indexed');
    return { index, report, retriever: new LocalRetriever(index) };
  });
  const bedrockKb: Retriever | undefined = settings.knowledgeBaseId
    ? new BedrockKbRetriever(clients.bedrockAgentRuntime(settings.bedrockRegion), settings.knowledgeBaseId, settings.retrieveTopK)
    : undefined;

  const env = options.env ?? process.env;
  const choice = chooseProvider(settings, env);
  // Dependency registry (src/aws): checks in the background, never on the request path; real model and
  // knowledge-base calls report what they see, and a knowledge base known to be unusable is skipped.
  const dependencies = createDependencyMonitor({ settings, clients, store, provider: choice.provider, logger, clock, env });
  const models = selectModels(settings, clients, choice, {
    prompts: () => prompts,
    // Bedrock calls tell the registry what they saw (denied, throttled, unreachable).
    ...(choice.provider === 'bedrock' ? { observe: (model) => observeModel(model, dependencies) } : {}),
  });
  logger.info(
    { provider: models.provider, reason: models.reason, fast: models.relay.overview.modelId, detail: models.relay.detail.modelId },
    'model provider selected',
  );
  const knowledgeBase =
    bedrockKb && settings.knowledgeBaseId ? observeRetriever(bedrockKb, dependencies, settings.knowledgeBaseId) : undefined;

  // Token accounting (src/usage): price book, ledger with budget counters and EMF lines, daily
  // budgets, the CloudWatch reader (background, cached; never called without AWS credentials).
  const usage = createUsage({
    settings,
    db: store.db,
    logger,
    prices,
    billed: models.capabilities.billed,
    relay: models.relay,
    translationModelId: models.capabilities.translates ? (settings.translationModelId ?? models.relay.overview.modelId) : undefined,
    prefixTokens: () => estimateTokens(prompts.staticSystem),
    cloudwatch: () => clients.cloudwatch(settings.bedrockRegion),
    awsAccess: awsAccess(settings, env),
    clock,
  });
  const price = usage.price;
  // Question and free-text translation: the fast model unless TRANSLATION_MODEL_ID names another; none offline.
  const translationModel =
    models.capabilities.translates && models.fastModel
      ? { model: models.fastModel, modelId: settings.translationModelId ?? models.relay.overview.modelId }
      : null;

  const conversations = new ConversationRepository(store.db);
  const feedback = new FeedbackRepository(store.db);
  const ledger = usage.ledger;
  const chat = lazy(() => {
    const local = knowledge().retriever;
    return new ChatService({
      conversations,
      ledger,
      retriever: knowledgeBase ?? local,
      fallbackRetriever: knowledgeBase ? local : undefined,
      relay: {
        models: models.relay,
        historyTokenBudget: settings.historyTokenBudget,
        price,
      },
      staffLanguage: settings.staffLanguage,
      retrieveTopK: settings.retrieveTopK,
      logger,
      budget: usage.answerBudget,
      glossary: () => glossaryReloader.current(),
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
            withoutTranslation: {
              reason: 'offline mode has no model that can translate',
              catalogue: knowledge()
                .index.documents()
                .map(({ id, title }) => ({ id, title })),
            },
          }),
    });
  });
  const translator = lazy(
    () =>
      new Translator({
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
      }),
  );

  if (options.background !== false) {
    knowledge(); // a server indexes at start, not on its first question
    glossaryReloader.start();
    dependencies.start();
    usage.service.start();
  }

  const status = () => buildStatus({ settings, models, store, kbDocsDir, documents: knowledge().index.stats().documents, dependencies });
  return {
    settings,
    logger,
    store,
    conversations,
    feedback,
    ledger,
    usage: usage.service,
    usageParts: usage,
    clients,
    get chat() {
      return chat();
    },
    models,
    get localIndex() {
      return knowledge().index;
    },
    get ingestReport() {
      return knowledge().report;
    },
    kbDocsDir,
    glossary: () => glossaryReloader.current(),
    glossaryStatus: () => glossaryReloader.status(),
    get translator() {
      return translator();
    },
    examples: async (language) =>
      knowledge()
        .retriever.sampleQuestions(6, language)
        .map((q) => q.text),
    status,
    readiness: () => readinessOf({ models, dependencies }),
    dependencies,
    webRoot: path.join(PACKAGE_ROOT, 'dist', 'web'),
    close: async () => {
      glossaryReloader.stop();
      await usage.service.stop();
      await dependencies.stop();
      clients.destroy();
      if (knowledge.isBuilt()) knowledge().index.close();
      await store.close();
    },
  };
}
