export type DependencyState = 'ok' | 'degraded' | 'denied' | 'unconfigured' | 'unreachable' | 'error';

/** Every state, best first (the order doctor and the logs sort by). */
export const DEPENDENCY_STATES: readonly DependencyState[] = ['ok', 'degraded', 'unconfigured', 'denied', 'unreachable', 'error'];

/** One call behind a dependency entry (cloudwatch makes two: ListMetrics and DescribeAlarms). */
export interface DependencyCheck {
  /** The IAM action the call needs, e.g. `cloudwatch:ListMetrics` (`sts:GetCallerIdentity` needs none). */
  action: string;
  state: DependencyState;
  detail: string;
  latencyMs?: number;
}

export interface DependencyStatus {
  name: string;
  state: DependencyState;
  /** What an operator needs to know, in plain words. */
  detail: string;
  /** The IAM action that was refused, when state is `denied` (the first one when several were). */
  missingPermission?: string;
  latencyMs?: number;
  checkedAt: string;
  /** What to do about it, when the state is not `ok`. */
  fix?: string;
  /** Every refused IAM action, when more than one call was refused. */
  missingPermissions?: string[];
  /** The calls behind this entry, when it makes more than one. */
  checks?: DependencyCheck[];
  /** True when chat cannot be served without this dependency (the database, the models). */
  required?: boolean;
  /** True until the first check has finished (the state is then `degraded`). */
  pending?: boolean;
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
