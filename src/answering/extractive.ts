import type { RetrievedDocument } from '../knowledge/types.js';
import type { Language } from '../lang/languages.js';
import { ModelError, ZERO_USAGE, type AnswerPart, type ChatStreamEvent } from '../models/types.js';
import { chunkText, pickExcerpt, pickKeySentences, stripMarkdown } from './offline-text.js';
import type { AnswerStrategy, AnsweringCapabilities, PartRequest } from './strategy.js';

/** What the extractive composer quotes from: the question, the lane's language, the part and its passages. */
export interface AnswerContext {
  question: string;
  language: Language;
  part: AnswerPart;
  documents: RetrievedDocument[];
}

interface OfflineWording {
  extractedNotice: string;
  noDocuments: string;
  noDocumentsDetail: string;
  referencesPointer: string;
  untitled: string;
}

const WORDING: Record<Language, OfflineWording> = {
  ko: {
    extractedNotice: '※ 생성형 모델 없이 문서에서 발췌한 답변입니다.',
    noDocuments: '※ 생성형 모델이 설정되어 있지 않고, 이 질문과 관련된 문서를 지식 베이스에서 찾지 못해 답변을 드릴 수 없습니다.',
    noDocumentsDetail: '요약할 참고 문서가 없습니다.',
    referencesPointer: '전체 내용은 이 답변과 함께 표시된 참고 문서를 확인하세요.',
    untitled: '문서',
  },
  en: {
    extractedNotice: 'Note: extracted from the knowledge base — no model generated this answer.',
    noDocuments:
      'Note: no model is configured and the knowledge base has no document matching this question, so there is no answer to give.',
    noDocumentsDetail: 'There are no reference documents to summarise.',
    referencesPointer: 'For the full text, see the references listed with this answer.',
    untitled: 'Document',
  },
  ja: {
    extractedNotice: '※ 生成モデルを使わず、ナレッジベースの文書から抜粋した回答です。',
    noDocuments: '※ 生成モデルが設定されておらず、この質問に関連する文書もナレッジベースに見つからないため、回答できません。',
    noDocumentsDetail: '要約できる参考文書はありません。',
    referencesPointer: '全文は、この回答に添付された参考文書をご確認ください。',
    untitled: '文書',
  },
  zh: {
    extractedNotice: '※ 本回答摘录自知识库文档，并非由生成式模型生成。',
    noDocuments: '※ 未配置生成式模型，知识库中也没有找到与此问题相关的文档，因此无法回答。',
    noDocumentsDetail: '没有可供摘要的参考文档。',
    referencesPointer: '完整内容请查看本回答附带的参考文档。',
    untitled: '文档',
  },
};

const OVERVIEW_PICK = { min: 2, max: 3, maxChars: 420 };
const DETAIL_PICK = { min: 2, max: 4, maxChars: 700 };
const DETAIL_MAX_DOCUMENTS = 5;

function distinctDocuments(documents: RetrievedDocument[]): RetrievedDocument[] {
  const seen = new Set<string>();
  return [...documents]
    .sort((a, b) => b.score - a.score)
    .filter((document) => {
      const key = document.id || `${document.uri}\u0000${document.title}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return document.content.trim() !== '' || document.excerpt.trim() !== '';
    });
}

function passageOf(document: RetrievedDocument): string {
  return document.content.trim() !== '' ? document.content : document.excerpt;
}

function overviewSentences(context: AnswerContext): string[] {
  const top = distinctDocuments(context.documents)[0];
  return top ? pickExcerpt(passageOf(top), context.question, OVERVIEW_PICK) : [];
}

export function composeOverview(context: AnswerContext): string {
  const wording = WORDING[context.language];
  const sentences = overviewSentences(context);
  if (sentences.length === 0) return wording.noDocuments;
  // List items carry no full stop; run together as a paragraph they would read as one sentence.
  const prose = sentences.every((sentence) => /[.!?。！？…)"'」』]$/u.test(sentence));
  const body = prose ? sentences.join(' ') : sentences.map((sentence) => `- ${sentence}`).join('\n');
  return `${wording.extractedNotice}\n\n${body}`;
}

/**
 * The detail continues the overview, as the generative detail prompt does: it leaves out the
 * sentences the overview already quoted (the extraction is deterministic, so it knows them).
 */
export function composeDetail(context: AnswerContext): string {
  const wording = WORDING[context.language];
  const documents = distinctDocuments(context.documents).slice(0, DETAIL_MAX_DOCUMENTS);
  const quoted = new Set(overviewSentences(context).map((sentence) => sentence.toLowerCase()));
  const sections: string[] = [];
  documents.forEach((document, position) => {
    // The same paragraph often comes back in several chunks; quote it once.
    const sentences = pickKeySentences(passageOf(document), context.question, DETAIL_PICK, quoted).filter((sentence) => {
      const key = sentence.toLowerCase();
      if (quoted.has(key)) return false;
      quoted.add(key);
      return true;
    });
    if (sentences.length === 0) return;
    const title = stripMarkdown(document.title) || `${wording.untitled} ${position + 1}`;
    sections.push(`### ${title}\n\n${sentences.map((sentence) => `- ${sentence}`).join('\n')}`);
  });
  if (documents.length === 0) return wording.noDocumentsDetail;
  if (sections.length === 0) return wording.referencesPointer;
  return `${sections.join('\n\n')}\n\n${wording.referencesPointer}`;
}

function compose(request: PartRequest): string {
  const context: AnswerContext = { question: request.question, language: request.lane, part: request.part, documents: request.documents };
  if (context.documents.length === 0) {
    return context.part === 'overview' ? WORDING[context.language].noDocuments : WORDING[context.language].noDocumentsDetail;
  }
  return context.part === 'overview' ? composeOverview(context) : composeDetail(context);
}

/** Lets other streams and I/O run between chunks without adding any delay (no timers). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const EXTRACTIVE: AnsweringCapabilities = Object.freeze({ translates: false, billed: false, streams: true });

/**
 * The no-model strategy: answers are sentences quoted from the part's retrieved passages, labelled
 * as such, streamed in small chunks so the relay and the UI behave exactly as with a real model.
 * Nothing is billed and nothing can be translated.
 */
export class ExtractiveAnswering implements AnswerStrategy {
  readonly provider = 'offline' as const;
  readonly capabilities = EXTRACTIVE;

  async *stream(request: PartRequest): AsyncGenerator<ChatStreamEvent> {
    const started = performance.now();
    const { signal, modelId } = request;
    const cancelled = (): ModelError => new ModelError('cancelled', `The call to ${modelId || 'offline'} was cancelled`);
    if (signal.aborted) throw cancelled();
    for (const text of chunkText(compose(request))) {
      await nextTurn();
      if (signal.aborted) throw cancelled();
      yield { type: 'delta', text };
    }
    yield {
      type: 'end',
      usage: { ...ZERO_USAGE },
      stopReason: 'end_turn',
      latencyMs: Math.round(performance.now() - started),
    };
  }

  promptTokens(): number {
    return 0;
  }
}
