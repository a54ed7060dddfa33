import { detectCredentialSource } from '../aws/credentials.js';
import type { AwsClients } from '../aws/clients.js';
import { SettingsError, type Settings } from '../config/settings.js';
import { ExtractiveAnswering } from '../answering/extractive.js';
import { GenerativeAnswering } from '../answering/generative.js';
import type { AnswerStrategy, AnsweringCapabilities } from '../answering/strategy.js';
import { BedrockChatModel } from '../models/bedrock.js';
import { OpenAiCompatibleChatModel } from '../models/openai.js';
import type { ChatModel, ProviderName } from '../models/types.js';
import type { PromptBuilder } from '../prompts/builder.js';
import type { RelayModels } from '../relay/types.js';

export const OFFLINE_MODEL_ID = 'offline-extractive';

export interface ProviderChoice {
  provider: ProviderName;
  /** Why this provider was chosen, for the start-up log and the status panel. */
  reason: string;
}

export interface ModelSelection extends ProviderChoice {
  relay: RelayModels;
  /** What answering can do here; asked instead of the provider's name. */
  capabilities: AnsweringCapabilities;
  /** The fast generative model (question and free-text translation); null when answers are extractive. */
  fastModel: ChatModel | null;
}

export interface SelectionOptions {
  /** The current prompt builder (rebuilt when the glossary reloads). */
  prompts: () => PromptBuilder;
  /** Wraps each generative model once, at composition (the dependency monitor's observation). */
  observe?: (model: ChatModel) => ChatModel;
}

/** MODEL_PROVIDER, with `auto` resolved: Bedrock when AWS credentials are at hand, else offline. */
export function chooseProvider(settings: Settings, env: NodeJS.ProcessEnv = process.env): ProviderChoice {
  const provider = settings.modelProvider;
  if (provider !== 'auto') return { provider, reason: `MODEL_PROVIDER=${provider}` };
  const source = detectCredentialSource(env);
  return source
    ? { provider: 'bedrock', reason: `AWS credentials found (${source})` }
    : { provider: 'offline', reason: 'no AWS credentials found; set MODEL_PROVIDER=bedrock or configure AWS credentials to use Nova' };
}

/** The provider's models as answering strategies, chosen once at composition time. */
export function selectModels(settings: Settings, clients: AwsClients, choice: ProviderChoice, options: SelectionOptions): ModelSelection {
  const { inference } = settings;
  const relay = (answering: AnswerStrategy, fast: string, detail: string): RelayModels => ({
    overview: { answering, modelId: fast, inference: inference.overview },
    detail: { answering, modelId: detail, inference: inference.detail },
  });
  const generative = (raw: ChatModel, fast: string, detail: string): ModelSelection => {
    const model = options.observe ? options.observe(raw) : raw;
    const answering = new GenerativeAnswering(model, options.prompts);
    return { ...choice, relay: relay(answering, fast, detail), capabilities: answering.capabilities, fastModel: model };
  };

  if (choice.provider === 'bedrock') {
    return generative(new BedrockChatModel(clients.bedrockRuntime(settings.bedrockRegion)), settings.fastModelId, settings.detailModelId);
  }
  if (choice.provider === 'openai') {
    const { baseUrl, apiKey, fastModel, detailModel } = settings.openai;
    const missing = [
      !baseUrl && 'OPENAI_BASE_URL=(unset): required when MODEL_PROVIDER=openai (e.g. http://127.0.0.1:11434/v1 for Ollama)',
      !fastModel && 'OPENAI_MODEL_FAST=(unset): required when MODEL_PROVIDER=openai (the model for the quick overview)',
    ].filter((line): line is string => typeof line === 'string');
    if (missing.length > 0 || !baseUrl || !fastModel) throw new SettingsError(missing);
    return generative(new OpenAiCompatibleChatModel({ baseUrl, ...(apiKey ? { apiKey } : {}) }), fastModel, detailModel ?? fastModel);
  }
  const answering = new ExtractiveAnswering();
  return { ...choice, relay: relay(answering, OFFLINE_MODEL_ID, OFFLINE_MODEL_ID), capabilities: answering.capabilities, fastModel: null };
}
