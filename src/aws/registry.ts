/**
 * The named dependencies of one deployment, from its settings: what is checked, how, and what a
 * dependency that is not configured (or cannot be, without AWS) reports instead.
 */
import type { Settings } from '../config/settings.js';
import type { Clock } from '../time/clock.js';
import type { Logger } from '../log/logger.js';
import type { ProviderName } from '../models/types.js';
import type { Store } from '../store/database.js';
import type { AwsClients } from './clients.js';
import { detectCredentialSource, type CredentialSource } from './credentials.js';
import { regionOfArn } from './iam-policy.js';
import { DependencyMonitor, type DependencyDefinition } from './monitor.js';
import {
  awsDisabledResult,
  describeDatabase,
  probeCloudWatch,
  probeDatabase,
  probeKnowledgeBase,
  probeModel,
  probeSecret,
  probeSts,
} from './probes.js';

/** Dependency names, as /api/status, doctor and the logs show them. */
export const DEPENDENCY = {
  database: 'database',
  localKnowledgeBase: 'local-knowledge-base',
  knowledgeBase: 'bedrock-agent-runtime',
  cloudwatch: 'cloudwatch',
  secrets: 'secrets-manager',
  sts: 'sts',
  model: (modelId: string) => `bedrock-runtime:${modelId}`,
} as const;

export interface AwsAccess {
  /** Whether AWS dependencies are checked (and may be called) at all. */
  enabled: boolean;
  source: CredentialSource | 'default-chain' | null;
  /** Why, in words. */
  reason: string;
}

/**
 * AWS is used when credentials are found without the network, or when MODEL_PROVIDER=bedrock says
 * so explicitly (on EC2 the SDK then asks the instance metadata service). Otherwise nothing AWS is
 * ever called: no probe, no credential lookup, no traffic to 169.254.169.254.
 */
export function awsAccess(settings: Settings, env: NodeJS.ProcessEnv = process.env): AwsAccess {
  const source = detectCredentialSource(env);
  if (source) return { enabled: true, source, reason: `AWS credentials found (${source})` };
  if (settings.modelProvider === 'bedrock') {
    return {
      enabled: true,
      source: 'default-chain',
      reason: 'MODEL_PROVIDER=bedrock: the SDK credential chain (including the EC2 instance role) is used',
    };
  }
  return { enabled: false, source: null, reason: 'no AWS credentials found' };
}

/** Region of the settings secret: its ARN's, else the deployment's (AWS_REGION), else Bedrock's. */
export function secretRegion(secretId: string, settings: Settings, env: NodeJS.ProcessEnv = process.env): string {
  return regionOfArn(secretId) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? settings.bedrockRegion;
}

export interface RegistryInput {
  settings: Settings;
  clients: AwsClients;
  store: Store;
  /** The provider actually selected (MODEL_PROVIDER=auto resolved). */
  provider: ProviderName;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
}

export function dependencyDefinitions({ settings, clients, store, provider, env = process.env }: RegistryInput): DependencyDefinition[] {
  const access = awsAccess(settings, env);
  const region = settings.bedrockRegion;
  const definitions: DependencyDefinition[] = [];
  const database = describeDatabase(store.kind, settings.databaseUrl, settings.dataDir);
  definitions.push({ name: DEPENDENCY.database, required: true, probe: (context) => probeDatabase(store, database, context) });

  const modelIds = [...new Set([settings.fastModelId, settings.detailModelId])];
  if (provider === 'bedrock') {
    for (const modelId of modelIds) {
      definitions.push({
        name: DEPENDENCY.model(modelId),
        required: true,
        probe: (context) => probeModel(clients.bedrock(region), modelId, region, context),
      });
    }
  } else if (settings.modelProvider === 'auto' && !access.enabled) {
    // Shown so the operator sees what AWS credentials would switch on.
    for (const modelId of modelIds) {
      definitions.push({
        name: DEPENDENCY.model(modelId),
        required: false,
        fixed: {
          ...awsDisabledResult(`model ${modelId}`),
          detail: `model ${modelId}: not used — ${access.reason}, so answers are assembled offline from the knowledge base`,
        },
      });
    }
  }

  const knowledgeBaseId = settings.knowledgeBaseId;
  if (!knowledgeBaseId) {
    definitions.push({
      name: DEPENDENCY.knowledgeBase,
      required: false,
      fixed: {
        state: 'unconfigured',
        detail: 'KNOWLEDGE_BASE_ID is not set; answers come from the local knowledge base',
        fix: 'Set KNOWLEDGE_BASE_ID to search a Bedrock Knowledge Base.',
      },
    });
  } else if (access.enabled) {
    definitions.push({
      name: DEPENDENCY.knowledgeBase,
      required: false,
      probe: (context) => probeKnowledgeBase(clients.bedrockAgent(region), knowledgeBaseId, region, context),
    });
  } else {
    // Calling Retrieve without credentials would send the SDK looking for them (EC2 metadata): don't.
    definitions.push({
      name: DEPENDENCY.knowledgeBase,
      required: false,
      fixed: { ...awsDisabledResult(`knowledge base ${knowledgeBaseId}`), blocking: true },
    });
  }

  definitions.push(
    access.enabled
      ? {
          name: DEPENDENCY.cloudwatch,
          required: false,
          probe: (context) => probeCloudWatch(clients.cloudwatch(region), settings.alarmNamePrefix, context),
        }
      : { name: DEPENDENCY.cloudwatch, required: false, fixed: awsDisabledResult('CloudWatch metrics and alarms') },
  );

  const secretId = settings.settingsSecret;
  if (!secretId) {
    definitions.push({
      name: DEPENDENCY.secrets,
      required: false,
      fixed: {
        state: 'unconfigured',
        detail: 'DUALNOVA_SETTINGS_SECRET is not set; settings come from the environment (and SETTINGS_FILE)',
      },
    });
  } else if (access.enabled) {
    const secretsRegion = secretRegion(secretId, settings, env);
    definitions.push({
      name: DEPENDENCY.secrets,
      required: false,
      probe: (context) => probeSecret(clients.secretsManager(secretsRegion), secretId, context),
    });
  } else {
    definitions.push({ name: DEPENDENCY.secrets, required: false, fixed: awsDisabledResult(`settings secret ${secretId}`) });
  }

  definitions.push(
    access.enabled
      ? { name: DEPENDENCY.sts, required: false, probe: (context) => probeSts(clients.sts(region), context) }
      : { name: DEPENDENCY.sts, required: false, fixed: awsDisabledResult('identity') },
  );
  return definitions;
}

export function createDependencyMonitor(input: RegistryInput): DependencyMonitor {
  return new DependencyMonitor(dependencyDefinitions(input), {
    ttlMs: input.settings.probes.ttlSeconds * 1000,
    timeoutMs: input.settings.probes.timeoutMs,
    logger: input.logger,
    ...(input.clock ? { clock: input.clock } : {}),
  });
}
