import {
  ConverseStreamCommand,
  type BedrockRuntimeClient,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
  type Message,
  type SystemContentBlock,
  type TokenUsage as BedrockTokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { describeAwsError } from '../errors/aws.js';
import { networkCodeOf } from '../errors/network.js';
import { baseModelId, inferenceProfileFor, isInferenceProfileId } from './catalogue.js';
import { linkedAbort } from './abort.js';
import { ModelError, type ChatModel, type ChatRequest, type ChatStreamEvent, type TokenUsage } from './types.js';

export const STREAM_ACTION = 'bedrock:InvokeModelWithResponseStream';

export function buildConverseStreamInput(request: ChatRequest): ConverseStreamCommandInput {
  const system: SystemContentBlock[] = [
    { text: request.staticSystem },
    // Everything before this point is byte-identical across requests, so Bedrock can bill it at
    // the cache-read price; the per-request text goes after it.
    { cachePoint: { type: 'default' } },
  ];
  if (request.dynamicSystem) system.push({ text: request.dynamicSystem });
  const messages: Message[] = request.messages.map((turn) => ({ role: turn.role, content: [{ text: turn.text }] }));
  return {
    modelId: request.modelId,
    system,
    messages,
    inferenceConfig: { maxTokens: request.inference.maxTokens, temperature: request.inference.temperature },
  };
}

function toUsage(usage: BedrockTokenUsage | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadInputTokens: usage?.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? 0,
  };
}

/** Amazon Bedrock ConverseStream. One instance per region, since the client is bound to one. */
export class BedrockChatModel implements ChatModel {
  readonly provider = 'bedrock' as const;

  constructor(private readonly client: BedrockRuntimeClient) {}

  async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    if (request.signal.aborted) throw cancelledError(request.modelId);
    // Our own controller so that a consumer that stops iterating early also releases the HTTP/2
    // stream; otherwise Bedrock keeps generating (and billing) tokens nobody reads.
    const abort = linkedAbort(request.signal);
    let stopReason: string | undefined;
    let usage: TokenUsage | undefined;
    let latencyMs: number | undefined;
    let finished = false;
    try {
      let events: AsyncIterable<ConverseStreamOutput> | undefined;
      try {
        const response = await this.client.send(new ConverseStreamCommand(buildConverseStreamInput(request)), {
          abortSignal: abort.signal,
        });
        events = response.stream;
      } catch (error) {
        throw await this.toModelError(error, request, 'request');
      }
      if (!events) {
        throw new ModelError('unavailable', `Bedrock returned no stream for ${request.modelId}`);
      }
      try {
        for await (const event of events) {
          if (event.contentBlockDelta) {
            const text = event.contentBlockDelta.delta?.text;
            if (text) yield { type: 'delta', text };
          } else if (event.messageStop) {
            stopReason = event.messageStop.stopReason ?? 'end_turn';
          } else if (event.metadata) {
            usage = toUsage(event.metadata.usage);
            latencyMs = event.metadata.metrics?.latencyMs;
          } else {
            const exception = streamException(event);
            if (exception) throw Object.assign(new Error(exception.message), { name: exception.name });
          }
        }
      } catch (error) {
        throw await this.toModelError(error, request, 'stream', usage);
      }
      // An abort after the response headers ends the SDK's iterator silently, and so does a
      // connection that closed cleanly but early; only messageStop + metadata prove completeness.
      if (stopReason === undefined || usage === undefined) {
        if (request.signal.aborted) throw cancelledError(request.modelId, usage);
        throw new ModelError(
          'unavailable',
          'The model stream ended before the answer was complete',
          `${request.modelId}: stream ended without ${stopReason === undefined ? 'messageStop' : 'metadata'}`,
          usage,
        );
      }
      finished = true;
      yield latencyMs === undefined ? { type: 'end', usage, stopReason } : { type: 'end', usage, stopReason, latencyMs };
    } finally {
      if (!finished) abort.abort();
      abort.detach();
    }
  }

  private async toModelError(
    error: unknown,
    request: ChatRequest,
    phase: BedrockErrorContext['phase'],
    partialUsage?: TokenUsage,
  ): Promise<ModelError> {
    if (error instanceof ModelError) return error;
    let region: string | undefined;
    try {
      region = await this.client.config.region();
    } catch {
      region = undefined;
    }
    return bedrockError(error, { modelId: request.modelId, signal: request.signal, region, phase, partialUsage });
  }
}

/** The SDK usually throws in-stream exceptions itself; this covers the union members it yields. */
function streamException(event: ConverseStreamOutput): { name: string; message: string } | undefined {
  const members = [
    ['ThrottlingException', event.throttlingException],
    ['ModelStreamErrorException', event.modelStreamErrorException],
    ['InternalServerException', event.internalServerException],
    ['ServiceUnavailableException', event.serviceUnavailableException],
    ['ValidationException', event.validationException],
  ] as const;
  for (const [name, value] of members) {
    if (value) return { name, message: value.message ?? name };
  }
  return undefined;
}

const ON_DEMAND_UNSUPPORTED = /on-demand throughput isn.t supported|inference profile/i;

function cancelledError(modelId: string, partialUsage?: TokenUsage): ModelError {
  return new ModelError('cancelled', `The call to ${modelId} was cancelled`, undefined, partialUsage);
}

export interface BedrockErrorContext {
  modelId: string;
  signal?: AbortSignal;
  region?: string | undefined;
  /** Whether the failure came before the response or while reading the stream. */
  phase?: 'request' | 'stream';
  partialUsage?: TokenUsage | undefined;
}

/** Turns whatever the SDK threw (HTTP error, in-stream exception, socket error) into a ModelError. */
export function bedrockError(error: unknown, context: BedrockErrorContext): ModelError {
  const { modelId, partialUsage } = context;
  const failure = describeAwsError(error);
  const detail = `${failure.name}: ${failure.message}`;
  const make = (code: ModelError['code'], message: string): ModelError => new ModelError(code, message, detail, partialUsage);

  if (context.signal?.aborted || failure.name === 'AbortError') return make('cancelled', `The call to ${modelId} was cancelled`);
  switch (failure.kind) {
    case 'denied':
      return make(
        'denied',
        `Access to ${modelId} was denied: the caller needs ${STREAM_ACTION} on ${modelId}` +
          (isInferenceProfileId(modelId)
            ? ` (on the inference-profile ARN and on the foundation-model ARN of ${baseModelId(modelId)} in every region the profile routes to)`
            : '') +
          ', and model access must be enabled in the Bedrock console.',
      );
    case 'credentials':
      return make('denied', `AWS rejected the credentials used to call ${modelId} (${failure.name}); check the credential chain.`);
    case 'no-credentials':
      return make('denied', `No AWS credentials were found to call ${modelId}; configure the credential chain or a task role.`);
    case 'throttled':
      return make('throttled', `Bedrock is throttling calls to ${modelId}; retry shortly or raise the quota.`);
    case 'invalid':
      if (ON_DEMAND_UNSUPPORTED.test(failure.message) && !isInferenceProfileId(modelId)) {
        const profile = inferenceProfileFor(modelId, context.region);
        return make(
          'invalid_request',
          `${modelId} cannot be invoked on demand: use an inference profile id instead, e.g. ${profile} (set FAST_MODEL_ID / DETAIL_MODEL_ID).`,
        );
      }
      return make('invalid_request', `Bedrock rejected the request to ${modelId}: ${failure.message}`);
    case 'not-found':
      return make('unavailable', `Model ${modelId} was not found in this region or account: ${failure.message}`);
    case 'server':
      if (failure.name === 'ModelErrorException') return make('model_error', `Model ${modelId} failed while processing the request.`);
      if (failure.name === 'ModelNotReadyException') return make('unavailable', `Model ${modelId} is not ready yet; retry shortly.`);
      return make('unavailable', `Bedrock could not complete the answer from ${modelId} (${failure.name}); retry shortly.`);
    default:
      break;
  }
  if (context.phase === 'stream') return make('unavailable', `The connection to Bedrock broke while streaming the answer from ${modelId}.`);
  const code = networkCodeOf(error);
  if (code) return make('unavailable', `Could not reach Bedrock for ${modelId} (${code}).`);
  return make('unavailable', `Bedrock could not answer for ${modelId} (${failure.name}).`);
}
