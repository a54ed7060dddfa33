export { BedrockKbRetriever, titleFromUri, toRetrievalError, type BedrockKbRetrieverOptions } from './bedrock-kb-retriever.js';
export { chunkPassages, makeExcerpt, markdownTitle, markdownToPlainText, type ChunkOptions } from './chunk.js';
export { IngestError, ingestFolder, KB_FILE_EXTENSIONS, localDocumentUri, type IngestResult } from './ingest.js';
export { LocalIndex, type DocumentInput, type DocumentState, type PassageHit, type StoredDocument } from './local-index.js';
export { LocalRetriever, type SampleQuestion } from './local-retriever.js';
export { searchTokens, toFtsQuery, tokenString, type FtsQueryMode } from './tokenize.js';
export * from './types.js';
