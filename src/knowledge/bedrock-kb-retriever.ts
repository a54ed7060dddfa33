import {
  RetrieveCommand,
  type BedrockAgentRuntimeClient,
  type KnowledgeBaseRetrievalResult,
  type RetrievalResultLocation,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { describeAwsError } from '../errors/aws.js';
import { makeExcerpt } from './chunk.js';
import { RetrievalError, type RetrievedDocument, type RetrieveOptions, type Retriever } from './types.js';

export interface BedrockKbRetrieverOptions {
  /** Passages asked of the knowledge base when a call gives no limit (default 5). */
  numberOfResults?: number;
}

/** Bedrock accepts 1-100 results per Retrieve call. */
const MAX_RESULTS = 100;

/** Retrieves passages from an Amazon Bedrock Knowledge Base with the Retrieve API. */
export class BedrockKbRetriever implements Retriever {
  readonly source = 'bedrock-kb' as const;
  private readonly numberOfResults: number;

  constructor(
    private readonly client: BedrockAgentRuntimeClient,
    readonly knowledgeBaseId: string,
    options: BedrockKbRetrieverOptions | number = {},
  ) {
    const requested = typeof options === 'number' ? options : options.numberOfResults;
    this.numberOfResults = clampResults(requested ?? 5);
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedDocument[]> {
    const { signal } = options;
    if (signal?.aborted) throw new RetrievalError('cancelled', 'The knowledge base search was cancelled.');
    const text = query.trim();
    if (text === '') return [];

    const command = new RetrieveCommand({
      knowledgeBaseId: this.knowledgeBaseId,
      retrievalQuery: { text },
      retrievalConfiguration: {
        vectorSearchConfiguration: { numberOfResults: clampResults(options.limit ?? this.numberOfResults) },
      },
    });
    let results: KnowledgeBaseRetrievalResult[];
    try {
      const output = await this.client.send(command, signal === undefined ? {} : { abortSignal: signal });
      results = output.retrievalResults ?? [];
    } catch (error) {
      throw toRetrievalError(error, this.knowledgeBaseId, signal);
    }
    return results.flatMap((result, i) => {
      const document = toRetrievedDocument(result, i, this.knowledgeBaseId);
      return document === undefined ? [] : [document];
    });
  }
}

function clampResults(value: number): number {
  return Math.min(Math.max(Math.trunc(value), 1), MAX_RESULTS);
}

function toRetrievedDocument(result: KnowledgeBaseRetrievalResult, index: number, knowledgeBaseId: string): RetrievedDocument | undefined {
  const content = resultText(result);
  if (content === '') return undefined;
  const sourceUri = result.metadata?.['x-amz-bedrock-kb-source-uri'];
  const uri =
    locationUri(result.location) ??
    (typeof sourceUri === 'string' && sourceUri !== '' ? sourceUri : `bedrock-kb://${knowledgeBaseId}/${index + 1}`);
  const chunkId = result.metadata?.['x-amz-bedrock-kb-chunk-id'];
  return {
    id: `${uri}#${typeof chunkId === 'string' && chunkId !== '' ? chunkId : index + 1}`,
    title: titleFromUri(uri),
    uri,
    score: result.score ?? 0,
    content,
    excerpt: makeExcerpt(content, 200),
  };
}

function resultText(result: KnowledgeBaseRetrievalResult): string {
  const content = result.content;
  if (content === undefined) return '';
  if (typeof content.text === 'string' && content.text.trim() !== '') return content.text.trim();
  if (content.row !== undefined) {
    return content.row
      .map((column) => `${column.columnName ?? ''}: ${column.columnValue ?? ''}`)
      .join('\n')
      .trim();
  }
  return (content.audio?.transcription ?? content.video?.summary ?? '').trim();
}

function locationUri(location: RetrievalResultLocation | undefined): string | undefined {
  if (location === undefined) return undefined;
  const candidates = [
    location.s3Location?.uri,
    location.webLocation?.url,
    location.confluenceLocation?.url,
    location.sharePointLocation?.url,
    location.salesforceLocation?.url,
    location.oneDriveLocation?.url,
    location.googleDriveLocation?.url,
    location.kendraDocumentLocation?.uri,
    location.customDocumentLocation?.id,
  ];
  return candidates.find((value): value is string => typeof value === 'string' && value !== '');
}

/** "s3://bucket/faq/refund-policy.md" → "refund-policy". */
export function titleFromUri(uri: string): string {
  const withoutQuery = uri.replace(/[?#].*$/u, '').replace(/\/+$/u, '');
  const segment = withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1);
  const stem = segment.includes('.') && !segment.startsWith('.') ? segment.slice(0, segment.lastIndexOf('.')) : segment;
  let decoded = stem;
  try {
    decoded = decodeURIComponent(stem.replace(/\+/gu, ' '));
  } catch {
    // A stray '%' in an object key: keep the raw text.
  }
  return decoded.trim() === '' ? uri : decoded;
}

/** Maps an error thrown by the Retrieve call to a RetrievalError with a message an operator can act on. */
export function toRetrievalError(error: unknown, knowledgeBaseId: string, signal?: AbortSignal): RetrievalError {
  if (error instanceof RetrievalError) return error;
  const failure = describeAwsError(error);
  const status = failure.httpStatus;
  const detail = `${failure.name}${status === undefined ? '' : ` (HTTP ${status})`}: ${failure.message}`;
  const make = (code: RetrievalError['code'], message: string) => new RetrievalError(code, message, detail);

  if (signal?.aborted || failure.name === 'AbortError') return make('cancelled', 'The knowledge base search was cancelled.');
  switch (failure.kind) {
    case 'denied':
      return make(
        'denied',
        `Access to Bedrock knowledge base ${knowledgeBaseId} was denied: the role needs bedrock:Retrieve on arn:aws:bedrock:<region>:<account>:knowledge-base/${knowledgeBaseId}.`,
      );
    case 'throttled':
      return make(
        'throttled',
        'Bedrock is throttling knowledge base searches; retry in a moment, or ask for a higher Retrieve quota in Service Quotas.',
      );
    case 'not-found':
      return make(
        'not_found',
        `Bedrock knowledge base ${knowledgeBaseId} was not found in this region: check KNOWLEDGE_BASE_ID and the Bedrock region.`,
      );
    case 'invalid':
      return make('invalid_request', `Bedrock rejected the knowledge base search: ${failure.message}`);
    case 'server':
      if (status !== undefined) return make('unavailable', `The Bedrock knowledge base service failed (HTTP ${status}); retry later.`);
      break;
    default:
      break;
  }
  return make(
    'unavailable',
    'The Bedrock knowledge base service could not be reached: check the network, the region and any AWS_ENDPOINT_URL setting.',
  );
}
