import type { UiLanguage } from '../api/types';

import {
  ERROR_CODES,
  PART_ERROR_CODES,
  WARNING_CODES,
  type ErrorCode,
  type PartErrorCode,
  type WarningCode,
} from '../../../src/contract/codes';

/** Every code the server (or the client itself) reports, from the contract: the compiler makes sure each has a message. */
export type MessageCode = ErrorCode | WarningCode | PartErrorCode;
export const MESSAGE_CODES: readonly MessageCode[] = [...new Set<MessageCode>([...ERROR_CODES, ...WARNING_CODES, ...PART_ERROR_CODES])];
const KNOWN: ReadonlySet<string> = new Set<string>(MESSAGE_CODES);

type ErrorMessages = Record<MessageCode | 'generic', string>;

const en: ErrorMessages = {
  invalid_request: 'The request was not valid. Please check it and try again.',
  invalid_json: 'The request could not be read. Please reload the page and try again.',
  message_empty: 'Please type a question first.',
  message_too_long: 'The question is too long. Please shorten it and send it again.',
  invalid_language: 'That language is not supported.',
  not_found: 'That item was not found. It may have been deleted.',
  conversation_not_found: 'This conversation was not found. It may have been deleted.',
  rate_limited: 'Too many requests right now. Please wait a moment and try again.',
  payload_too_large: 'The request is too large. Please shorten the question.',
  model_denied: 'The language model refused access (missing permission). An administrator needs to grant access to the model.',
  model_throttled: 'The language model is busy right now. Please try again in a moment.',
  model_unavailable: 'The language model is unavailable right now.',
  model_invalid_request: 'The language model rejected the request (check the model or inference profile settings).',
  model_error: 'The language model returned an error.',
  retrieval_failed: 'Searching the knowledge base failed.',
  retrieval_denied: 'Access to the knowledge base was denied (missing permission).',
  part_failed: 'This part of the answer could not be written.',
  translation_failed: 'The question could not be translated; the answer may be less precise.',
  translation_unavailable: 'Translation is not available right now.',
  budget_exhausted: 'The usage budget has been reached, so the answer was shortened or refused.',
  stream_interrupted: 'The connection dropped before the answer finished. What arrived is kept.',
  internal_error: 'Something went wrong on the server. Please try again.',
  unavailable: 'The service is unavailable right now. Please try again shortly.',
  model_cancelled: 'This part was stopped before it finished.',
  lane_language_unavailable: 'No passage in this language matches the question, so this version quotes documents in another language.',
  glossary_mismatch: 'This part may use a game term differently from the glossary. Please check the names before sending.',
  retrieval_fallback: 'The knowledge base service was unavailable, so the answer uses the local documents.',
  retrieval_partial: 'One of the knowledge base searches failed; the answer uses the other one only.',
  database_unavailable: 'The conversation store is unavailable right now. Please try again shortly.',
  unauthorized: 'Your session has expired. Please reload the page and sign in again.',
  forbidden: 'You do not have permission to do that.',
  origin_mismatch: 'The request was refused because it did not come from this page. Please reload the page.',
  authentication_unavailable: 'Sign-in is unavailable right now. Please try again shortly.',
  unsupported_media_type: 'The request format is not supported. Please reload the page and try again.',
  request_timeout: 'The request took too long. Please try again.',
  headers_too_large: 'The request was too large. Please reload the page and try again.',
  bad_request: 'The request was not valid. Please reload the page and try again.',
  invalid_text: 'The text is not valid. Please check it and try again.',
  nothing_to_translate: 'There is nothing to translate: the text has only digits, symbols or emoji.',
  glossary_unavailable: 'The glossary is not loaded right now.',
  budget_warning: 'Most of the usage budget for today has been used.',
  budget_degraded: 'The usage budget is nearly used up, so answers are shortened to the overview.',
  invalid_token_name: 'That token name is not valid.',
  uri_too_long: 'The address is too long. Please reload the page and try again.',
  too_many_streams: 'Too many answers are being written at once. Please wait for one to finish.',
  usage_unavailable: 'Usage reporting is not available on this server.',
  cancelled: 'The request was cancelled.',
  generic: 'Something went wrong. Please try again.',
};

const ko: ErrorMessages = {
  invalid_request: '요청이 올바르지 않습니다. 확인 후 다시 시도해 주세요.',
  invalid_json: '요청을 읽을 수 없습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
  message_empty: '먼저 질문을 입력해 주세요.',
  message_too_long: '질문이 너무 깁니다. 줄여서 다시 보내 주세요.',
  invalid_language: '지원하지 않는 언어입니다.',
  not_found: '항목을 찾을 수 없습니다. 삭제되었을 수 있습니다.',
  conversation_not_found: '대화를 찾을 수 없습니다. 삭제되었을 수 있습니다.',
  rate_limited: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
  payload_too_large: '요청이 너무 큽니다. 질문을 줄여 주세요.',
  model_denied: '언어 모델 접근이 거부되었습니다(권한 없음). 관리자가 모델 접근 권한을 부여해야 합니다.',
  model_throttled: '언어 모델이 지금 바쁩니다. 잠시 후 다시 시도해 주세요.',
  model_unavailable: '지금은 언어 모델을 사용할 수 없습니다.',
  model_invalid_request: '언어 모델이 요청을 거부했습니다(모델 또는 추론 프로필 설정을 확인하세요).',
  model_error: '언어 모델에서 오류가 발생했습니다.',
  retrieval_failed: '지식 베이스 검색에 실패했습니다.',
  retrieval_denied: '지식 베이스 접근이 거부되었습니다(권한 없음).',
  part_failed: '답변의 이 부분을 작성하지 못했습니다.',
  translation_failed: '질문을 번역하지 못했습니다. 답변이 덜 정확할 수 있습니다.',
  translation_unavailable: '지금은 번역을 사용할 수 없습니다.',
  budget_exhausted: '사용 예산에 도달하여 답변이 줄었거나 거부되었습니다.',
  stream_interrupted: '답변이 끝나기 전에 연결이 끊겼습니다. 받은 내용은 남아 있습니다.',
  internal_error: '서버에서 문제가 발생했습니다. 다시 시도해 주세요.',
  unavailable: '지금은 서비스를 사용할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  model_cancelled: '이 부분은 끝나기 전에 중지되었습니다.',
  lane_language_unavailable: '이 언어로 된 문서 중 질문과 맞는 내용이 없어, 다른 언어의 문서를 인용했습니다.',
  glossary_mismatch: '이 부분에 게임 용어가 용어집과 다르게 쓰였을 수 있습니다. 보내기 전에 명칭을 확인해 주세요.',
  retrieval_fallback: '지식 베이스 서비스를 사용할 수 없어 로컬 문서로 답변했습니다.',
  retrieval_partial: '지식 베이스 검색 중 하나가 실패하여 다른 검색 결과만으로 답변했습니다.',
  database_unavailable: '지금은 대화 저장소를 사용할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  unauthorized: '로그인이 만료되었습니다. 페이지를 새로 고친 뒤 다시 로그인해 주세요.',
  forbidden: '이 작업을 할 권한이 없습니다.',
  origin_mismatch: '이 페이지에서 보낸 요청이 아니어서 거부되었습니다. 페이지를 새로 고쳐 주세요.',
  authentication_unavailable: '지금은 로그인을 사용할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  unsupported_media_type: '지원하지 않는 요청 형식입니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
  request_timeout: '요청 시간이 너무 오래 걸렸습니다. 다시 시도해 주세요.',
  headers_too_large: '요청이 너무 큽니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
  bad_request: '요청이 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
  invalid_text: '텍스트가 올바르지 않습니다. 확인 후 다시 시도해 주세요.',
  nothing_to_translate: '번역할 내용이 없습니다. 숫자, 기호, 이모지만 있습니다.',
  glossary_unavailable: '지금은 용어집을 불러올 수 없습니다.',
  budget_warning: '오늘 사용 예산의 대부분을 사용했습니다.',
  budget_degraded: '사용 예산이 거의 소진되어 답변을 요약으로만 제공합니다.',
  invalid_token_name: '토큰 이름이 올바르지 않습니다.',
  uri_too_long: '주소가 너무 깁니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.',
  too_many_streams: '동시에 작성 중인 답변이 너무 많습니다. 하나가 끝날 때까지 기다려 주세요.',
  usage_unavailable: '이 서버에서는 사용량 보고를 사용할 수 없습니다.',
  cancelled: '요청이 취소되었습니다.',
  generic: '문제가 발생했습니다. 다시 시도해 주세요.',
};

const MESSAGES: Record<UiLanguage, ErrorMessages> = { en, ko };

function isMessageCode(code: string): code is MessageCode {
  return KNOWN.has(code);
}

/** The user-facing message for an error code; unknown codes get a generic message (never the raw error). */
export function errorMessage(lang: UiLanguage, code: string): string {
  const messages = MESSAGES[lang];
  return isMessageCode(code) ? messages[code] : messages.generic;
}

/**
 * Warnings inside an answer (the stream goes on) read differently from the same code as an error:
 * `translation_unavailable` in a chat answer means "offline: each version quotes its own language",
 * not "the translator failed".
 */
const WARNINGS: Record<UiLanguage, Partial<Record<MessageCode, string>>> = {
  en: {
    translation_unavailable:
      'Offline mode: nothing was translated. Each language version quotes documents written in that language; translation needs a language model.',
  },
  ko: {
    translation_unavailable:
      '오프라인 모드라 번역하지 않았습니다. 언어별 답변은 그 언어로 된 문서를 인용합니다. 번역하려면 언어 모델이 필요합니다.',
  },
};

/** The user-facing text of a warning inside an answer. */
export function warningMessage(lang: UiLanguage, code: string): string {
  return (isMessageCode(code) ? WARNINGS[lang][code] : undefined) ?? errorMessage(lang, code);
}
