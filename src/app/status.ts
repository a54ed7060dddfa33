import type { DependencyStatus, StatusReport } from '../aws/status-types.js';
import type { Settings } from '../config/settings.js';
import type { Store } from '../store/database.js';
import type { ModelSelection } from './models.js';

export interface StatusInputs {
  settings: Settings;
  models: ModelSelection;
  store: Store;
  kbDocsDir: string;
  documents: number;
}

export function buildStatus({ settings, models, store, kbDocsDir, documents }: StatusInputs): StatusReport {
  const now = new Date().toISOString();
  const dependencies: DependencyStatus[] = [
    {
      name: 'database',
      state: 'ok',
      detail: store.kind === 'sqlite' ? `SQLite file in ${settings.dataDir}` : 'PostgreSQL (DATABASE_URL)',
      checkedAt: now,
    },
    {
      name: 'local-knowledge-base',
      state: documents > 0 ? 'ok' : 'degraded',
      detail: documents > 0 ? `${documents} documents indexed from ${kbDocsDir}` : `no documents found in ${kbDocsDir}; run \`dualnova ingest DIR\` or set KB_DOCS_DIR`,
      checkedAt: now,
    },
  ];
  const offline = models.provider === 'offline';
  return {
    mode: models.provider,
    provider: models.provider,
    models: { fast: models.relay.overview.modelId, detail: models.relay.detail.modelId },
    knowledgeBase: settings.knowledgeBaseId ? { source: 'bedrock-kb' } : { source: 'local', documents },
    staffLanguage: settings.staffLanguage,
    dependencies,
    features: {
      chat: { available: true, ...(offline ? { reason: models.reason } : {}) },
      knowledgeBase: documents > 0 || settings.knowledgeBaseId ? { available: true } : { available: false, reason: 'the local knowledge base is empty' },
      translation: offline ? { available: false, reason: 'translation needs a model; offline mode has none' } : { available: true },
      tokenMonitoring: { available: false, reason: 'CloudWatch token monitoring is not configured' },
      alarms: { available: false, reason: 'CloudWatch alarms are not configured' },
    },
  };
}
