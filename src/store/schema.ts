import type { Language, UiLanguage } from '../contract/languages.js';
import type { Generated } from 'kysely';

/** Row shapes as stored. Times are ISO-8601 UTC strings; structured fields are JSON text (portable across SQLite and PostgreSQL). */
export interface ConversationsTable {
  id: string;
  user_id: string | null;
  title: string;
  ui_language: UiLanguage;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  role: 'user' | 'assistant';
  /** The user's question, or for an assistant message the customer-lane text (overview + detail). */
  content: string;
  /** Assistant messages: JSON of StoredLane[]. */
  lanes_json: string | null;
  /** Assistant messages: JSON of StoredReference[]. */
  references_json: string | null;
  status: 'complete' | 'partial' | 'failed' | 'streaming';
  language: Language | null;
  translated_question: string | null;
  created_at: string;
  updated_at: string;
}

export interface FeedbackTable {
  id: Generated<number>;
  message_id: string;
  user_id: string | null;
  rating: 'up' | 'down';
  comment: string | null;
  created_at: string;
}

export interface UsageTable {
  id: Generated<number>;
  created_at: string;
  conversation_id: string | null;
  message_id: string | null;
  user_id: string | null;
  purpose: string;
  lane: string | null;
  provider: string;
  model_id: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_write_input_tokens: number;
  latency_ms: number;
  status: string;
  cost_usd: number | null;
  estimated: number;
}

/** Bearer API tokens (AUTH_MODE=token). Only the SHA-256 of a token is stored; rows are revoked, never reused. */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: 'agent' | 'admin';
  token_hash: string;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Daily budget counters (src/usage/budgets.ts): scope `deployment` or `user:<id>`, period = start of the budget day. */
export interface BudgetCountersTable {
  scope: string;
  period: string;
  /** bigint: PostgreSQL returns it as a string; read through Number(). */
  used_tokens: number | string;
  used_cost_usd: number;
  calls: number | string;
  reserved_tokens: number | string;
  reserved_cost_usd: number;
  updated_at: string;
}

/** An estimate held against the budgets while an answer runs; released when it ends (or after 15 min). */
export interface BudgetReservationsTable {
  id: string;
  period: string;
  /** JSON array of the counter scopes reserved on. */
  scopes: string;
  tokens: number | string;
  cost_usd: number;
  mode: string;
  created_at: string;
}

export interface Database {
  conversations: ConversationsTable;
  messages: MessagesTable;
  feedback: FeedbackTable;
  usage: UsageTable;
  api_tokens: ApiTokensTable;
  budget_counters: BudgetCountersTable;
  budget_reservations: BudgetReservationsTable;
}
