import type { Language } from '../lang/languages.js';
import type { AnswerPart } from '../models/types.js';

/** Fixed texts the relay itself writes, in each answer language. */
const NO_DOCUMENTS: Record<Language, string> = {
  ko: '죄송합니다. 이 질문에 답할 수 있는 문서를 지식 베이스에서 찾지 못했습니다. 질문을 조금 더 구체적으로 적어 주시거나, 고객지원팀에 문의해 주세요.',
  en: "Sorry — I couldn't find anything in the knowledge base that answers this question. Please rephrase it with more detail, or contact the support team.",
  ja: '申し訳ありません。この質問に答えられる資料がナレッジベースに見つかりませんでした。もう少し詳しく書き直すか、サポートチームにお問い合わせください。',
  zh: '抱歉，知识库中没有找到能回答这个问题的资料。请补充更多细节后重试，或联系客服团队。',
};

export function noDocumentsReply(language: Language): string {
  return NO_DOCUMENTS[language];
}

const PART_NAMES: Record<AnswerPart, string> = { overview: 'overview', detail: 'detailed answer' };

export function partFailedMessage(part: AnswerPart, lane: Language, reason: string): string {
  return `The ${PART_NAMES[part]} (${lane}) could not be completed: ${reason}`;
}
