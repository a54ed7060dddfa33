export * from './types.js';
export { BedrockChatModel, bedrockError, buildConverseStreamInput, STREAM_ACTION, type BedrockErrorContext } from './bedrock.js';
export { OpenAiCompatibleChatModel, openAiHttpError, type OpenAiCompatibleOptions } from './openai.js';
export { OfflineChatModel, composeDetail, composeOverview } from './offline.js';
export {
  NOVA_MODELS,
  PROFILE_PREFIXES,
  baseModelId,
  displayName,
  findModel,
  geographyForRegion,
  inferenceProfileFor,
  isInferenceProfileId,
  type CatalogueEntry,
  type NovaSize,
  type ProfileGeography,
} from './catalogue.js';
