import type { ErrorCode, WarningCode } from '../contract/codes.js';
import type { Glossary } from '../glossary/types.js';
import { RetrievalError, type RetrievedDocument, type Retriever } from '../knowledge/types.js';
import type { Language } from '../lang/languages.js';
import { errorFields, type Logger } from '../log/logger.js';
import { documentsPerLane, type CatalogueDocument, type LaneDocuments } from './lane-documents.js';
import { reciprocalRankFusion } from './rrf.js';

export interface RetrievalWarning {
  code: WarningCode;
  message: string;
}

/** A search's result: documents, or null after a failure (with the error to report); warnings either way. */
export interface SearchOutcome {
  documents: RetrievedDocument[] | null;
  warnings: RetrievalWarning[];
  error?: { code: ErrorCode; message: string };
}

export interface RetrievalServiceOptions {
  retriever: Retriever;
  /** Used, with a warning, when the primary retriever fails (the local KB behind a Bedrock KB). */
  fallbackRetriever?: Retriever | undefined;
  limit: number;
  logger: Logger;
}

/**
 * The answer's retrieval stage: one search per question (original, translated), each falling
 * back to the local knowledge base when the primary fails, fused by reciprocal rank; offline, the
 * passages of each lane in its own language. Never emits: it returns what to tell the client.
 */
export class RetrievalService {
  constructor(private readonly options: RetrievalServiceOptions) {}

  /** One search, with the fallback. Never throws; a failure is never reported as "no documents". */
  async search(query: string, signal: AbortSignal): Promise<SearchOutcome> {
    const { retriever, fallbackRetriever, limit, logger } = this.options;
    try {
      return { documents: await retriever.retrieve(query, { limit, signal }), warnings: [] };
    } catch (error) {
      logger.warn({ ...errorFields(error), retriever: retriever.source }, 'retrieval failed');
      const reason = error instanceof RetrievalError ? error.message : 'The knowledge base could not be searched.';
      const warnings: RetrievalWarning[] = [];
      if (fallbackRetriever && !signal.aborted) {
        warnings.push({ code: 'retrieval_fallback', message: `${reason} Answering from the local knowledge base instead.` });
        try {
          return { documents: await fallbackRetriever.retrieve(query, { limit, signal }), warnings };
        } catch (fallbackError) {
          logger.error({ ...errorFields(fallbackError), retriever: fallbackRetriever.source }, 'fallback retrieval failed');
        }
      }
      const code: ErrorCode = error instanceof RetrievalError && error.code === 'denied' ? 'retrieval_denied' : 'retrieval_failed';
      return { documents: null, warnings, error: { code, message: reason } };
    }
  }

  /**
   * The searches' warnings (each once) and their rankings merged by reciprocal rank fusion.
   * `documents` is null, with the error, when no search could answer; one failed search of two is a warning.
   */
  merge(
    original: SearchOutcome,
    translated: SearchOutcome | undefined,
  ): { documents: RetrievedDocument[] | null; warnings: RetrievalWarning[]; error?: { code: ErrorCode; message: string } } {
    const seen = new Set<string>();
    const warnings = [...original.warnings, ...(translated?.warnings ?? [])].filter((warning) => {
      const key = `${warning.code}\u0000${warning.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const found = [original, translated].flatMap((o) => (o?.documents ? [o.documents] : []));
    if (found.length === 0) {
      const error = original.error ??
        translated?.error ?? { code: 'retrieval_failed', message: 'The knowledge base could not be searched.' };
      return { documents: null, warnings, error };
    }
    if (translated && found.length === 1) {
      const failed = original.documents === null ? original : translated;
      const which = failed === original ? 'original' : 'translated';
      warnings.push({
        code: 'retrieval_partial',
        message: `The search with the ${which} question failed (${failed.error?.message ?? 'unknown error'}); answering from the other search only.`,
      });
    }
    if (found.length === 1) return { documents: found[0] ?? [], warnings };
    return { documents: reciprocalRankFusion(found, { limit: this.options.limit }), warnings };
  }

  /** Without translation: each lane's passages in its own language (see documentsPerLane). */
  perLane(input: {
    lanes: Language[];
    question: string;
    documents: RetrievedDocument[];
    glossary: Glossary | null;
    catalogue?: CatalogueDocument[] | undefined;
    signal: AbortSignal;
  }): Promise<LaneDocuments> {
    const { retriever, limit } = this.options;
    return documentsPerLane({
      lanes: input.lanes,
      question: input.question,
      documents: input.documents,
      glossary: input.glossary,
      limit,
      retrieve: (query) => retriever.retrieve(query, { limit: Math.max(limit * 2, 10), signal: input.signal }),
      catalogue: input.catalogue,
    });
  }
}
