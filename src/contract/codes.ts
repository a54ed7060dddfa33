/** Plain constants (no zod here), so the web bundle can import them without the schema library. */

/**
 * Every error code the API sends in `{error:{code,message}}` bodies and `error` events, and the
 * client-side ones the web app reports in the same vocabulary (`stream_interrupted`, `unavailable`).
 */
export const ERROR_CODES = [
  // bad input
  'invalid_request',
  'invalid_json',
  'invalid_language',
  'invalid_text',
  'message_empty',
  'message_too_long',
  'nothing_to_translate',
  'invalid_token_name',
  'payload_too_large',
  'headers_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'bad_request',
  'request_timeout',
  // who may do what
  'unauthorized',
  'forbidden',
  'origin_mismatch',
  'authentication_unavailable',
  // what is not there
  'not_found',
  'conversation_not_found',
  // limits
  'rate_limited',
  'too_many_streams',
  'budget_exhausted',
  // dependencies
  'database_unavailable',
  'retrieval_failed',
  'retrieval_denied',
  'translation_failed',
  'translation_unavailable',
  'glossary_unavailable',
  'usage_unavailable',
  'internal_error',
  // the caller went away before the answer (never sent: there is nobody to send it to)
  'cancelled',
  // client side only
  'stream_interrupted',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes of `warning` events: something about this answer the agent should know; the answer goes on. */
export const WARNING_CODES = [
  'part_failed',
  'glossary_mismatch',
  'translation_failed',
  'translation_unavailable',
  'lane_language_unavailable',
  'retrieval_fallback',
  'retrieval_partial',
  'budget_warning',
  'budget_degraded',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * How loud an operator's log line for each warning is: `warn` when a dependency failed or the
 * answer is worse for it, `info` when it is a note about content.
 */
export const WARNING_SEVERITY: Record<WarningCode, 'warn' | 'info'> = {
  part_failed: 'warn',
  glossary_mismatch: 'info',
  translation_failed: 'warn',
  translation_unavailable: 'info',
  lane_language_unavailable: 'info',
  retrieval_fallback: 'warn',
  retrieval_partial: 'warn',
  budget_warning: 'info',
  budget_degraded: 'warn',
};

/** Why a model call of an answer part failed: `model_` + the provider-neutral failure kind. */
export const PART_ERROR_CODES = [
  'model_denied',
  'model_throttled',
  'model_invalid_request',
  'model_unavailable',
  'model_cancelled',
  'model_error',
] as const;
export type PartErrorCode = (typeof PART_ERROR_CODES)[number];

/** The periods GET /api/usage reports over. */
export const USAGE_WINDOWS = ['1h', '24h', '7d'] as const;
export type UsageWindow = (typeof USAGE_WINDOWS)[number];

/** What a glossary entry names. */
export const GLOSSARY_CATEGORIES = ['character', 'item', 'location', 'game-term', 'cs-term'] as const;
export type GlossaryCategory = (typeof GLOSSARY_CATEGORIES)[number];

/** The names of POST /api/chat's server-sent events. */
export const CHAT_EVENT_NAMES = ['meta', 'references', 'delta', 'part_end', 'warning', 'error', 'done'] as const;
