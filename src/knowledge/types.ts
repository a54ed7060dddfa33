export interface RetrievedDocument {
  id: string;
  title: string;
  /** Where the passage comes from: a file path for the local KB, s3:// or https:// for Bedrock KB. */
  uri: string;
  /** Higher is better; only comparable within one retriever. */
  score: number;
  /** The passage text given to the model. */
  content: string;
  /** A short, plain-text preview for the UI. */
  excerpt: string;
}

export type KnowledgeSource = 'local' | 'bedrock-kb';

export interface RetrieveOptions {
  limit?: number;
  signal?: AbortSignal;
}

export interface Retriever {
  readonly source: KnowledgeSource;
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievedDocument[]>;
}

export type RetrievalErrorCode = 'denied' | 'throttled' | 'not_found' | 'unavailable' | 'invalid_request' | 'cancelled';

export class RetrievalError extends Error {
  override readonly name = 'RetrievalError';
  constructor(
    readonly code: RetrievalErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}
