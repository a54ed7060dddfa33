import path from 'node:path';
import { AwsClients } from '../aws/clients.js';
import type { StatusReport } from '../aws/status-types.js';
import { ChatService } from '../chat/answer-question.js';
import { PACKAGE_ROOT, type Settings } from '../config/settings.js';
import { loadGlossaryFile } from '../glossary/load.js';
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
import { ConversationRepository } from '../store/conversations.js';
import { openStore, type Store } from '../store/database.js';
import { FeedbackRepository } from '../store/feedback.js';
import { UsageLedger } from '../usage/ledger.js';
import { costUsd, DEFAULT_PRICES } from '../usage/prices.js';
import { selectModels, type ModelSelection } from './models.js';
import { buildStatus } from './status.js';

export const SAMPLE_KB_DIR = path.join(PACKAGE_ROOT, 'kb', 'sample');

export interface Runtime {
  settings: Settings;
  logger: Logger;
  store: Store;
  conversations: ConversationRepository;
  feedback: FeedbackRepository;
  ledger: UsageLedger;
  chat: ChatService;
  models: ModelSelection;
  localIndex: LocalIndex;
  ingestReport: IngestResult;
  kbDocsDir: string;
  glossary: () => Glossary | null;
  examples: (language: UiLanguage) => Promise<string[]>;
  status: () => StatusReport;
  readiness: () => { ready: boolean; reasons: string[] };
  webRoot: string;
  close: () => Promise<void>;
}

/** The composition root: everything the server and the CLI share, chosen once from settings. */
export async function createRuntime(settings: Settings, logger: Logger): Promise<Runtime> {
  const clients = new AwsClients();
  const store = await openStore({
    databaseUrl: settings.databaseUrl,
    dataDir: settings.dataDir,
    onPoolError: (error) => logger.warn({ err: { name: error.name, message: error.message } }, 'idle database connection lost'),
  });
  const glossary = loadGlossaryFile(settings.glossaryFile);

  const localIndex = new LocalIndex(path.join(settings.dataDir, 'kb-index.sqlite'));
  const kbDocsDir = resolveKbDocsDir(settings.kbDocsDir, settings.dataDir, SAMPLE_KB_DIR);
  const ingestReport = ingestFolder(localIndex, kbDocsDir);
  logger.info({ kbDocsDir, ...ingestReport }, 'local knowledge base indexed');
  const local = new LocalRetriever(localIndex);
  const bedrockKb: Retriever | undefined = settings.knowledgeBaseId
    ? new BedrockKbRetriever(clients.bedrockAgentRuntime(settings.bedrockRegion), settings.knowledgeBaseId, settings.retrieveTopK)
    : undefined;

  const models = selectModels(settings, clients);
  logger.info({ provider: models.provider, reason: models.reason, fast: models.relay.overview.modelId, detail: models.relay.detail.modelId }, 'model provider selected');

  const conversations = new ConversationRepository(store.db);
  const feedback = new FeedbackRepository(store.db);
  const ledger = new UsageLedger(store.db);
  const chat = new ChatService({
    conversations,
    ledger,
    retriever: bedrockKb ?? local,
    fallbackRetriever: bedrockKb ? local : undefined,
    relay: {
      models: models.relay,
      prompts: new PromptBuilder(glossary),
      historyTokenBudget: settings.historyTokenBudget,
      price: (modelId, usage, provider) => (provider === 'offline' ? 0 : costUsd(DEFAULT_PRICES, modelId, settings.bedrockRegion, usage)),
    },
    staffLanguage: settings.staffLanguage,
    retrieveTopK: settings.retrieveTopK,
    logger,
  });

  const status = () => buildStatus({ settings, models, store, kbDocsDir, documents: localIndex.stats().documents });
  return {
    settings,
    logger,
    store,
    conversations,
    feedback,
    ledger,
    chat,
    models,
    localIndex,
    ingestReport,
    kbDocsDir,
    glossary: () => glossary,
    examples: async (language) => local.sampleQuestions(6, language).map((q) => q.text),
    status,
    readiness: () => {
      const report = status();
      return { ready: report.features.chat.available, reasons: report.features.chat.reason ? [report.features.chat.reason] : [] };
    },
    webRoot: path.join(PACKAGE_ROOT, 'dist', 'web'),
    close: async () => {
      clients.destroy();
      localIndex.close();
      await store.close();
    },
  };
}
