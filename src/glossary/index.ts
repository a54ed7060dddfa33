export { checkGlossaryConsistency, type ConsistencyInput } from './consistency.js';
export { GlossaryError, loadGlossaryFile, parseGlossaryJson, validateGlossary, type GlossaryValidation } from './load.js';
export { containsInflected, containsTerm, findGlossaryTerms, findInflected, scanGlossaryTerms, type GlossaryOccurrence } from './match.js';
export {
  AnswerGlossaryCheck,
  checkAnswerGlossary,
  describeGlossaryMismatch,
  type AnswerGlossaryInput,
  type FinishedPart,
} from './answer-check.js';
export { checkGlossaryFile, glossaryWarnings, type GlossaryCheckReport } from './check.js';
export { GlossaryReloader, type GlossaryReloaderOptions, type GlossaryStatus, type ReloadOutcome } from './reloader.js';
export { renderGlossaryForPrompt, type RenderGlossaryOptions } from './render.js';
export { glossaryFileSchema } from './schema.js';
export * from './types.js';
