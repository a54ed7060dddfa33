import { detectCredentialSource } from '../aws/credentials.js';
import type { AwsClients } from '../aws/clients.js';
import { SettingsError, type Settings } from '../config/settings.js';
import { BedrockChatModel } from '../models/bedrock.js';
import { OfflineChatModel } from '../models/offline.js';
import { OpenAiCompatibleChatModel } from '../models/openai.js';
import type { ChatModel, ProviderName } from '../models/types.js';
import type { RelayModels } from '../relay/types.js';

export const OFFLINE_MODEL_ID = 'offline-extractive';

export interface ModelSelection {
  provider: ProviderName;
  /** Why this provider was chosen, for the start-up log and the status panel. */
  reason: string;
  relay: RelayModels;
}

/** Picks the provider once, at composition time (MODEL_PROVIDER=auto means Bedrock when AWS credentials are at hand). */
export function selectModels(settings: Settings, clients: AwsClients, env: NodeJS.ProcessEnv = process.env): ModelSelection {
  const { inference } = settings;
  const both = (model: ChatModel, fast: string, detail: string): RelayModels => ({
    overview: { model, modelId: fast, inference: inference.overview },
    detail: { model, modelId: detail, inference: inference.detail },
  });

  let provider = settings.modelProvider;
  let reason = `MODEL_PROVIDER=${provider}`;
  if (provider === 'auto') {
    const source = detectCredentialSource(env);
    provider = source ? 'bedrock' : 'offline';
    reason = source
      ? `AWS credentials found (${source})`
      : 'no AWS credentials found; set MODEL_PROVIDER=bedrock or configure AWS credentials to use Nova';
  }

  if (provider === 'bedrock') {
    const model = new BedrockChatModel(clients.bedrockRuntime(settings.bedrockRegion));
    return { provider, reason, relay: both(model, settings.fastModelId, settings.detailModelId) };
  }
  if (provider === 'openai') {
    const { baseUrl, apiKey, fastModel, detailModel } = settings.openai;
    const missing = [
      !baseUrl && 'OPENAI_BASE_URL=(unset): required when MODEL_PROVIDER=openai (e.g. http://127.0.0.1:11434/v1 for Ollama)',
      !fastModel && 'OPENAI_MODEL_FAST=(unset): required when MODEL_PROVIDER=openai (the model for the quick overview)',
    ].filter((line): line is string => typeof line === 'string');
    if (missing.length > 0 || !baseUrl || !fastModel) throw new SettingsError(missing);
    const model = new OpenAiCompatibleChatModel({ baseUrl, ...(apiKey ? { apiKey } : {}) });
    return { provider, reason, relay: both(model, fastModel, detailModel ?? fastModel) };
  }
  return { provider: 'offline', reason, relay: both(new OfflineChatModel(), OFFLINE_MODEL_ID, OFFLINE_MODEL_ID) };
}
