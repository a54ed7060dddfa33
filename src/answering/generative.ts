import type { ChatModel, ChatStreamEvent } from '../models/types.js';
import type { PromptBuilder } from '../prompts/builder.js';
import { estimateTokens } from '../prompts/tokens.js';
import type { AnswerStrategy, AnsweringCapabilities, PartRequest } from './strategy.js';

const GENERATIVE: AnsweringCapabilities = Object.freeze({ translates: true, billed: true, streams: true });

/**
 * A model writes the part from a prompt: the cached static prefix (instructions, glossary), the
 * lane's documents and instructions, then the conversation. `prompts` is read per call, so a
 * reloaded glossary takes effect on the next part.
 */
export class GenerativeAnswering implements AnswerStrategy {
  readonly capabilities = GENERATIVE;

  constructor(
    private readonly model: ChatModel,
    private readonly prompts: () => PromptBuilder,
  ) {}

  get provider() {
    return this.model.provider;
  }

  stream(request: PartRequest): AsyncIterable<ChatStreamEvent> {
    const prompt = this.prompts().answer(request.part, request.lane, request.documents, request.question);
    return this.model.stream({
      modelId: request.modelId,
      staticSystem: prompt.staticSystem,
      dynamicSystem: prompt.dynamicSystem,
      messages: request.turns,
      inference: request.inference,
      signal: request.signal,
      label: { part: request.part, lane: request.lane, question: request.question },
    });
  }

  promptTokens(request: PartRequest): number {
    const prompt = this.prompts().answer(request.part, request.lane, request.documents, request.question);
    return (
      estimateTokens(prompt.staticSystem) +
      estimateTokens(prompt.dynamicSystem) +
      request.turns.reduce((sum, turn) => sum + estimateTokens(turn.text), 0)
    );
  }
}
