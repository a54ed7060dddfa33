export {
  documentLanguage,
  documentsPerLane,
  siblingIds,
  type CatalogueDocument,
  type LaneDocumentSource,
  type LaneDocuments,
} from './lane-documents.js';
export {
  cleanTranslation,
  translateWithModel,
  translationMaxTokens,
  TranslationError,
  type TranslationErrorCode,
  type TranslationModel,
} from './model-translation.js';
export { QuestionTranslator, type QuestionTranslation } from './question.js';
export { reciprocalRankFusion, RRF_K } from './rrf.js';
export {
  resolveTarget,
  termReports,
  TRANSLATE_MAX_CHARS,
  Translator,
  type GlossaryTermReport,
  type TranslationResult,
} from './translator.js';
