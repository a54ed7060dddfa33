export { checkGlossaryConsistency, type ConsistencyInput } from './consistency.js';
export { GlossaryError, loadGlossaryFile, parseGlossaryJson, validateGlossary, type GlossaryValidation } from './load.js';
export { containsTerm, findGlossaryTerms, scanGlossaryTerms, type GlossaryOccurrence } from './match.js';
export { renderGlossaryForPrompt, type RenderGlossaryOptions } from './render.js';
export { glossaryFileSchema } from './schema.js';
export * from './types.js';
