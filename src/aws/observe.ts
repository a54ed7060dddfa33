/**
 * What the request path teaches the registry, at no extra cost: real model and knowledge-base calls
 * report their outcome (`observe`), and a knowledge base known to be unusable is skipped at once
 * (the chat then answers from the local knowledge base with a warning) instead of making every
 * question wait for the same refusal or timeout. Nothing here calls AWS by itself.
 */
import { RetrievalError, type Retriever } from '../knowledge/types.js';
import { STREAM_ACTION } from '../models/bedrock.js';
import { ModelError, type ChatModel, type ChatStreamEvent } from '../models/types.js';
import { parseDeniedAction } from '../errors/aws.js';
import type { DependencyMonitor, DependencyView } from './monitor.js';
import type { ProbeResult } from './probes.js';
import { DEPENDENCY } from './registry.js';

/** "Bedrock knowledge base denied (missing bedrock:Retrieve)" — the short reason the UI and warnings show. */
export function knowledgeBaseReason(view: Pick<DependencyView, 'state' | 'detail' | 'missingPermission'>): string {
  const why = view.detail.replace(/^.*?: /, '').replace(/^not checked — /, '');
  switch (view.state) {
    case 'denied':
      return `Bedrock knowledge base denied${view.missingPermission ? ` (missing ${view.missingPermission})` : ''}`;
    case 'unconfigured':
      return `Bedrock knowledge base not usable (${why})`;
    case 'unreachable':
      return `Bedrock knowledge base unreachable (${why})`;
    default:
      return `Bedrock knowledge base unavailable (${why})`;
  }
}

function retrievalObservation(error: RetrievalError, knowledgeBaseId: string): ProbeResult | undefined {
  const detail = error.detail ?? '';
  switch (error.code) {
    case 'denied': {
      const action = parseDeniedAction(detail) ?? 'bedrock:Retrieve';
      return {
        state: 'denied',
        detail: `knowledge base ${knowledgeBaseId}: a search was refused — the role needs ${action} (seen on a real call)`,
        missingPermission: action,
        fix: `Allow ${action} on the knowledge base for the role dualnova runs as (\`dualnova doctor\` prints the statement).`,
        blocking: true,
      };
    }
    case 'not_found':
      return {
        state: 'error',
        detail: `knowledge base ${knowledgeBaseId}: not found on a chat request (${detail})`,
        fix: 'Check KNOWLEDGE_BASE_ID and BEDROCK_REGION.',
        blocking: true,
      };
    case 'unavailable':
      // An HTTP status means the service answered (5xx, retried already): not a reason to stop asking it.
      if (/\(HTTP \d+\)/.test(detail)) return { state: 'error', detail: `knowledge base ${knowledgeBaseId}: a search failed (${detail})` };
      return {
        state: 'unreachable',
        detail: `knowledge base ${knowledgeBaseId}: a search could not reach Bedrock (${detail})`,
        fix: 'Check the network path to bedrock-agent-runtime (VPC endpoint, NAT, AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME).',
        blocking: true,
      };
    case 'throttled':
      return { state: 'degraded', detail: `knowledge base ${knowledgeBaseId}: searches are being throttled` };
    default:
      return undefined;
  }
}

/**
 * Wraps the Bedrock knowledge-base retriever. While the registry knows the knowledge base cannot be
 * used (refused, missing, unreachable, or no AWS credentials) the call is skipped and a
 * RetrievalError explains why, which makes the chat fall back to the local knowledge base.
 */
export function observeRetriever(retriever: Retriever, monitor: DependencyMonitor, knowledgeBaseId: string): Retriever {
  const name = DEPENDENCY.knowledgeBase;
  return {
    source: retriever.source,
    async retrieve(query, options) {
      const view = monitor.view(name);
      if (view?.blocking) {
        throw new RetrievalError(
          view.state === 'denied' ? 'denied' : 'unavailable',
          `${knowledgeBaseReason(view)}.`,
          `skipped: ${view.detail}`,
        );
      }
      try {
        const documents = await retriever.retrieve(query, options);
        monitor.observe(name, 'ok');
        return documents;
      } catch (error) {
        if (error instanceof RetrievalError) {
          const observation = retrievalObservation(error, knowledgeBaseId);
          if (observation) monitor.observe(name, observation);
        }
        throw error;
      }
    },
  };
}

function modelObservation(error: ModelError, modelId: string): ProbeResult | undefined {
  if (error.code === 'denied') {
    const action = parseDeniedAction(error.detail ?? '') ?? STREAM_ACTION;
    return {
      state: 'denied',
      detail: `model ${modelId}: an answer was refused (seen on a real call): ${error.message}`,
      missingPermission: action,
      fix: `Allow ${action} on the model for the role dualnova runs as, and enable model access in the Bedrock console.`,
      blocking: true,
    };
  }
  if (error.code === 'invalid_request' && /on demand|inference profile/i.test(error.message)) {
    return {
      state: 'error',
      detail: `model ${modelId}: ${error.message}`,
      fix: 'Set FAST_MODEL_ID / DETAIL_MODEL_ID to an inference profile id.',
      blocking: true,
    };
  }
  return undefined;
}

/** Reports each call's outcome to the registry under `bedrock-runtime:<model id>`. */
export function observeModel(model: ChatModel, monitor: DependencyMonitor): ChatModel {
  return {
    provider: model.provider,
    async *stream(request): AsyncGenerator<ChatStreamEvent> {
      const name = DEPENDENCY.model(request.modelId);
      try {
        for await (const event of model.stream(request)) {
          if (event.type === 'end') monitor.observe(name, 'ok');
          yield event;
        }
      } catch (error) {
        if (error instanceof ModelError) {
          const observation = modelObservation(error, request.modelId);
          if (observation) monitor.observe(name, observation);
        }
        throw error;
      }
    },
  };
}

/** Puts observing wrappers around the relay's models, in place (Bedrock only: other providers have no registry entry). */
