export type DependencyState = 'ok' | 'degraded' | 'denied' | 'unconfigured' | 'unreachable' | 'error';

export interface DependencyStatus {
  name: string;
  state: DependencyState;
  /** What an operator needs to know, in plain words. */
  detail: string;
  /** The IAM action that was refused, when state is `denied`. */
  missingPermission?: string;
  latencyMs?: number;
  checkedAt: string;
}

export interface FeatureStatus {
  available: boolean;
  reason?: string;
}

export interface StatusReport {
  mode: 'offline' | 'bedrock' | 'openai';
  provider: string;
  models: { fast: string; detail: string };
  knowledgeBase: { source: 'local' | 'bedrock-kb'; documents?: number };
  staffLanguage: string;
  dependencies: DependencyStatus[];
  features: {
    chat: FeatureStatus;
    knowledgeBase: FeatureStatus;
    translation: FeatureStatus;
    tokenMonitoring: FeatureStatus;
    alarms: FeatureStatus;
  };
}
