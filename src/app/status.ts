import type { DependencyMonitor, DependencyView } from '../aws/monitor.js';
import { knowledgeBaseReason } from '../aws/observe.js';
import { DEPENDENCY } from '../aws/registry.js';
import type { DependencyState, DependencyStatus, FeatureStatus, StatusReport } from '../contract/status.js';
import type { Settings } from '../config/settings.js';
import type { Store } from '../store/database.js';
import type { ModelSelection } from './models.js';

export interface StatusInputs {
  settings: Settings;
  models: ModelSelection;
  store: Store;
  kbDocsDir: string;
  documents: number;
  /** The dependency registry; read only, never waited on. */
  dependencies: DependencyMonitor;
}

const WORKING: ReadonlySet<DependencyState> = new Set(['ok', 'degraded']);

/** GET /api/status, `dualnova doctor` and /readyz all come from this one function. */
export function buildStatus({ settings, models, kbDocsDir, documents, dependencies }: StatusInputs): StatusReport {
  const now = new Date().toISOString();
  const local: DependencyStatus = {
    name: DEPENDENCY.localKnowledgeBase,
    state: documents > 0 ? 'ok' : 'degraded',
    detail:
      documents > 0
        ? `${documents} documents indexed from ${kbDocsDir}`
        : `no documents found in ${kbDocsDir}; run \`dualnova ingest DIR\` or set KB_DOCS_DIR`,
    ...(documents > 0 ? {} : { fix: 'Run `dualnova ingest DIR` or set KB_DOCS_DIR to a folder of markdown/text documents.' }),
    checkedAt: now,
  };
  const [database, ...rest] = dependencies.statuses();
  const list = database ? [database, local, ...rest] : [local, ...rest];

  return {
    mode: models.provider,
    provider: models.provider,
    models: { fast: models.relay.overview.modelId, detail: models.relay.detail.modelId },
    knowledgeBase: settings.knowledgeBaseId ? { source: 'bedrock-kb' } : { source: 'local', documents },
    staffLanguage: settings.staffLanguage,
    dependencies: list,
    features: {
      chat: chatFeature(models, dependencies),
      knowledgeBase: knowledgeBaseFeature(settings, documents, dependencies),
      translation: translationFeature(settings, models, dependencies),
      tokenMonitoring: cloudWatchFeature(dependencies, 'cloudwatch:ListMetrics', 'CloudWatch metrics'),
      alarms: cloudWatchFeature(dependencies, 'cloudwatch:DescribeAlarms', 'CloudWatch alarms'),
    },
  };
}

/** /readyz: ready when chat can be served; otherwise one reason per failing dependency. */
export function readinessOf({ models, dependencies }: Pick<StatusInputs, 'models' | 'dependencies'>): {
  ready: boolean;
  reasons: string[];
} {
  const reasons = chatBlockers(models, dependencies);
  return { ready: reasons.length === 0, reasons };
}

function describe(view: DependencyView): string {
  return `${view.name} ${view.state}: ${view.detail}`;
}

function modelParts(models: ModelSelection, dependencies: DependencyMonitor) {
  return [
    { part: 'overview', view: dependencies.view(DEPENDENCY.model(models.relay.overview.modelId)) },
    { part: 'detail', view: dependencies.view(DEPENDENCY.model(models.relay.detail.modelId)) },
  ];
}

/** What makes chat impossible: a failing database, or no configured model that can be used. */
export function chatBlockers(models: ModelSelection, dependencies: DependencyMonitor): string[] {
  const blockers: string[] = [];
  const database = dependencies.view(DEPENDENCY.database);
  if (database?.blocking) blockers.push(describe(database));
  if (models.provider === 'bedrock') {
    const parts = modelParts(models, dependencies);
    if (parts.every((p) => p.view?.blocking)) blockers.push(...new Set(parts.map((p) => (p.view ? describe(p.view) : ''))));
  }
  return blockers;
}

function chatFeature(models: ModelSelection, dependencies: DependencyMonitor): FeatureStatus {
  const blockers = chatBlockers(models, dependencies);
  if (models.provider === 'bedrock' && blockers.length === 0) {
    const parts = modelParts(models, dependencies);
    const [bad] = parts.filter((p) => p.view?.blocking);
    if (bad) {
      const other = parts.find((p) => p !== bad);
      return {
        available: true,
        reason: `the ${bad.part} model cannot be used (${bad.view?.detail}); answers come from the ${other?.part} model only`,
      };
    }
    const unverified = parts.filter((p) => p.view && !p.view.pending && !WORKING.has(p.view.state));
    if (unverified.length > 0) {
      return {
        available: true,
        reason: `model access not verified: ${[...new Set(unverified.map((p) => (p.view ? describe(p.view) : '')))].join('; ')}`,
      };
    }
  }
  if (blockers.length > 0) return { available: false, reason: blockers.join('; ') };
  // Extractive answers quote passages: available, with the reason no model writes them.
  return models.capabilities.billed ? { available: true } : { available: true, reason: models.reason };
}

function knowledgeBaseFeature(settings: Settings, documents: number, dependencies: DependencyMonitor): FeatureStatus {
  const localEmpty = 'the local knowledge base is empty';
  if (!settings.knowledgeBaseId) return documents > 0 ? { available: true } : { available: false, reason: localEmpty };
  const view = dependencies.view(DEPENDENCY.knowledgeBase);
  if (!view || view.pending || view.state === 'ok') return { available: true };
  if (view.state === 'degraded') return { available: true, reason: view.detail };
  const reason = knowledgeBaseReason(view);
  if (documents === 0) return { available: false, reason: `${reason}; ${localEmpty}` };
  return view.blocking
    ? { available: true, reason: `${reason}; answering from the local knowledge base` }
    : { available: true, reason: `${reason}; searches still try it first and fall back to the local knowledge base` };
}

function translationFeature(settings: Settings, models: ModelSelection, dependencies: DependencyMonitor): FeatureStatus {
  if (!models.capabilities.translates) return { available: false, reason: 'translation needs a model; offline mode has none' };
  if (models.provider === 'bedrock') {
    const view = dependencies.view(DEPENDENCY.model(settings.translationModelId ?? models.relay.overview.modelId));
    if (view?.blocking) return { available: false, reason: `the translation model cannot be used: ${view.detail}` };
  }
  return { available: true };
}

/** Token monitoring (ListMetrics) and alarms (DescribeAlarms) share the cloudwatch entry; each reads its own check. */
function cloudWatchFeature(dependencies: DependencyMonitor, action: string, label: string): FeatureStatus {
  const view = dependencies.view(DEPENDENCY.cloudwatch);
  if (!view || view.pending) return { available: true, reason: `${label}: not checked yet` };
  const check = view.source === 'observed' ? undefined : view.checks?.find((c) => c.action === action);
  const state = check?.state ?? view.state;
  if (WORKING.has(state))
    return state === 'ok' ? { available: true } : { available: true, reason: `${label}: ${check?.detail ?? view.detail}` };
  if (state === 'denied') {
    const missing = check ? (check.detail.match(/needs ([a-z0-9-]+:[A-Za-z0-9]+)/)?.[1] ?? action) : (view.missingPermission ?? action);
    return { available: false, reason: `${label} unavailable: missing ${missing} on the app's IAM role` };
  }
  const detail = (check?.detail ?? view.detail).replace(/^.*?: /, '');
  if (state === 'unconfigured') return { available: false, reason: `${label} unavailable: ${detail.replace(/^not checked — /, '')}` };
  return { available: false, reason: `${label} unavailable: ${state} (${detail})` };
}
