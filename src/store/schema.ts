import type { Generated } from 'kysely';

/** Row shapes as stored. Times are ISO-8601 UTC strings; structured fields are JSON text (portable across SQLite and PostgreSQL). */
export interface ConversationsTable {
  id: string;
  user_id: string | null;
  title: string;
  ui_language: string;
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
  language: string | null;
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

export interface Database {
  conversations: ConversationsTable;
  messages: MessagesTable;
  feedback: FeedbackTable;
  usage: UsageTable;
}
