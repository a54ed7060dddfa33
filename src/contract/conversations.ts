import { z } from 'zod';
import {
  costSchema,
  languageSchema,
  laneRoleSchema,
  messageStatusSchema,
  partErrorSchema,
  partStatusSchema,
  referenceSchema,
  textSchema,
  tokenUsageSchema,
  uiLanguageSchema,
  uuidSchema,
} from './common.js';

export const conversationSummarySchema = z.object({
  id: uuidSchema,
  title: z.string(),
  uiLanguage: uiLanguageSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationListSchema = z.object({ conversations: z.array(conversationSummarySchema) });

export const storedPartSchema = z.object({
  text: z.string(),
  model: z.string().nullable(),
  status: partStatusSchema,
  usage: tokenUsageSchema.optional(),
  latencyMs: z.number().optional(),
  costUsd: costSchema.optional(),
  error: partErrorSchema.optional(),
});
export type StoredPart = z.infer<typeof storedPartSchema>;

export const storedLaneSchema = z.object({
  lane: languageSchema,
  role: laneRoleSchema,
  parts: z.object({ overview: storedPartSchema, detail: storedPartSchema }),
});
export type StoredLane = z.infer<typeof storedLaneSchema>;

export const ratingSchema = z.enum(['up', 'down']);
export type Rating = z.infer<typeof ratingSchema>;

export const feedbackSchema = z.object({ rating: ratingSchema, comment: z.string().nullable(), createdAt: z.string() });
export type Feedback = z.infer<typeof feedbackSchema>;

export const storedMessageSchema = z.object({
  id: uuidSchema,
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  /** `streaming` while an answer is being written. */
  status: z.union([messageStatusSchema, z.literal('streaming')]),
  language: languageSchema.nullable(),
  translatedQuestion: z.string().nullable(),
  createdAt: z.string(),
  lanes: z.array(storedLaneSchema).nullable(),
  references: z.array(referenceSchema).nullable(),
  feedback: feedbackSchema.nullable(),
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

/** Every model call of the conversation, translations included, from the usage ledger. */
export const conversationUsageSchema = tokenUsageSchema.extend({ calls: z.number().int(), costUsd: costSchema });
export type ConversationUsage = z.infer<typeof conversationUsageSchema>;

export const conversationDetailSchema = z.object({
  conversation: conversationSummarySchema,
  usage: conversationUsageSchema.optional(),
  messages: z.array(storedMessageSchema),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

export const feedbackRequestSchema = z
  .object({
    rating: ratingSchema,
    comment: textSchema({ max: 2000, what: 'The comment' }).optional(),
  })
  .strict();

export const feedbackRecordedSchema = z.object({
  feedback: z.object({ messageId: uuidSchema, rating: ratingSchema, comment: z.string().nullable(), createdAt: z.string() }),
});

export const feedbackQuerySchema = z.object({ rating: ratingSchema.optional() });

export const feedbackItemSchema = z.object({
  messageId: uuidSchema,
  conversationId: uuidSchema,
  question: z.string(),
  answer: z.string(),
  rating: ratingSchema,
  comment: z.string().nullable(),
  createdAt: z.string(),
});
export type FeedbackItem = z.infer<typeof feedbackItemSchema>;
export const feedbackListSchema = z.object({ items: z.array(feedbackItemSchema) });
