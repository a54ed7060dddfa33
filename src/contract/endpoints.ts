/**
 * Every HTTP route of the API: method, path, who may call it, and the schemas of what goes in and
 * out. The server registers its routes from this table (src/server/routes), the OpenAPI document
 * is generated from it, and clients import the same schemas and types.
 */
import { z } from 'zod';
import {
  createdTokenSchema,
  createTokenRequestSchema,
  processMetricsQuerySchema,
  processMetricsSchema,
  tokenListSchema,
  tokenNameParamsSchema,
} from './admin.js';
import { chatEventSchema, chatRequestSchema } from './chat.js';
import type { ErrorCode } from './codes.js';
import { errorBodySchema, idParamsSchema } from './common.js';
import {
  conversationDetailSchema,
  conversationListSchema,
  feedbackListSchema,
  feedbackQuerySchema,
  feedbackRecordedSchema,
  feedbackRequestSchema,
} from './conversations.js';
import { glossaryQuerySchema, glossarySchema, glossaryStatusSchema } from './glossary.js';
import { examplesQuerySchema, examplesSchema, healthSchema, readinessSchema, statusReportSchema } from './status.js';
import { translateRequestSchema, translationResultSchema } from './translate.js';
import { alarmsViewSchema, usageQuerySchema, usageReportSchema } from './usage.js';

/** Who may call a route: anyone (health checks), any signed-in user, or admins only. */
export type Access = 'public' | 'user' | 'admin';

type Responses = Record<number, z.ZodType | { description: string; content: Record<string, { schema: z.ZodType }> }>;

export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  /** Full path in Fastify's syntax (`/api/conversations/:id`). */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Costs model tokens: counted by the per-user rate limit. */
  metered?: true;
  /** Streams an answer: holds one of the user's stream slots while it runs. */
  streams?: true;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  response: Responses;
  /** The error code a refused field is reported with (default `invalid_request`). */
  fieldErrors?: Partial<Record<string, ErrorCode>>;
  /** A malformed path parameter answers like a missing resource: 404 with this code. */
  notFound?: ErrorCode;
}

const error = errorBodySchema;
/** An OpenAPI 3.1 document; its own schema is the OpenAPI specification's, not repeated here. */
const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;
/** Errors any signed-in route may answer with. */
const userErrors = { 401: error, 429: error, 503: error } as const;

export const ENDPOINTS = {
  health: {
    method: 'GET',
    path: '/healthz',
    summary: 'The process is alive (no dependency is called)',
    tag: 'health',
    access: 'public',
    response: { 200: healthSchema },
  },
  readiness: {
    method: 'GET',
    path: '/readyz',
    summary: 'Ready when chat can be served; 503 with the reasons otherwise',
    tag: 'health',
    access: 'public',
    response: { 200: readinessSchema, 503: readinessSchema },
  },
  openapi: {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This document: the API as OpenAPI 3.1, generated from the contract (browsable at /api/docs)',
    tag: 'health',
    access: 'public',
    response: { 200: openApiDocumentSchema },
  },
  status: {
    method: 'GET',
    path: '/api/status',
    summary: 'Mode, models, knowledge base, dependency states and features (details for admins)',
    tag: 'status',
    access: 'user',
    response: { 200: statusReportSchema, ...userErrors },
  },
  examples: {
    method: 'GET',
    path: '/api/examples',
    summary: 'Example questions from the loaded knowledge base',
    tag: 'status',
    access: 'user',
    querystring: examplesQuerySchema,
    fieldErrors: { lang: 'invalid_language' },
    response: { 200: examplesSchema, 400: error, ...userErrors },
  },
  chat: {
    method: 'POST',
    path: '/api/chat',
    summary: 'Answer a question: a stream of server-sent events',
    tag: 'chat',
    access: 'user',
    metered: true,
    streams: true,
    body: chatRequestSchema,
    fieldErrors: { uiLanguage: 'invalid_language', answerLanguage: 'invalid_language' },
    response: {
      200: {
        description: 'text/event-stream: one event per line group, `event: <name>` then `data: <JSON>`',
        content: { 'text/event-stream': { schema: chatEventSchema } },
      },
      400: error,
      403: error,
      404: error,
      413: error,
      ...userErrors,
    },
  },
  conversations: {
    method: 'GET',
    path: '/api/conversations',
    summary: "The caller's conversations, newest first",
    tag: 'conversations',
    access: 'user',
    response: { 200: conversationListSchema, ...userErrors },
  },
  conversation: {
    method: 'GET',
    path: '/api/conversations/:id',
    summary: 'One conversation with its messages and usage',
    tag: 'conversations',
    access: 'user',
    params: idParamsSchema,
    notFound: 'conversation_not_found',
    response: { 200: conversationDetailSchema, 404: error, ...userErrors },
  },
  deleteConversation: {
    method: 'DELETE',
    path: '/api/conversations/:id',
    summary: 'Delete a conversation and its messages',
    tag: 'conversations',
    access: 'user',
    params: idParamsSchema,
    notFound: 'conversation_not_found',
    response: { 204: z.null().describe('Deleted'), 403: error, 404: error, ...userErrors },
  },
  feedback: {
    method: 'POST',
    path: '/api/messages/:id/feedback',
    summary: 'Rate an answer (a new rating replaces the previous one)',
    tag: 'conversations',
    access: 'user',
    params: idParamsSchema,
    notFound: 'not_found',
    body: feedbackRequestSchema,
    response: { 201: feedbackRecordedSchema, 400: error, 403: error, 404: error, ...userErrors },
  },
  feedbackList: {
    method: 'GET',
    path: '/api/feedback',
    summary: 'Rated answers with their questions (admins)',
    tag: 'conversations',
    access: 'admin',
    querystring: feedbackQuerySchema,
    response: { 200: feedbackListSchema, 400: error, 403: error, ...userErrors },
  },
  translate: {
    method: 'POST',
    path: '/api/translate',
    summary: 'Glossary-aware translation of free text',
    tag: 'translate',
    access: 'user',
    metered: true,
    body: translateRequestSchema,
    fieldErrors: { target: 'invalid_language', source: 'invalid_language' },
    response: { 200: translationResultSchema, 400: error, 403: error, 413: error, 502: error, ...userErrors },
  },
  glossary: {
    method: 'GET',
    path: '/api/glossary',
    summary: 'The loaded glossary (optionally filtered); ETag for cheap polling',
    tag: 'glossary',
    access: 'user',
    querystring: glossaryQuerySchema,
    response: {
      200: glossarySchema,
      304: z.null().describe('Not modified: the ETag in If-None-Match is current'),
      400: error,
      ...userErrors,
    },
  },
  glossaryStatus: {
    method: 'GET',
    path: '/api/glossary/status',
    summary: 'Whether the glossary file on disk is in use or broken',
    tag: 'glossary',
    access: 'user',
    response: { 200: glossaryStatusSchema, ...userErrors },
  },
  usage: {
    method: 'GET',
    path: '/api/usage',
    summary: 'Usage ledger, cached CloudWatch figures with the reconciliation, alarms and budgets',
    tag: 'usage',
    access: 'user',
    querystring: usageQuerySchema,
    response: { 200: usageReportSchema, 400: error, 403: error, ...userErrors },
  },
  alarms: {
    method: 'GET',
    path: '/api/alarms',
    summary: 'States of the usage alarms (admins)',
    tag: 'usage',
    access: 'admin',
    response: { 200: alarmsViewSchema, 403: error, ...userErrors },
  },
  metrics: {
    method: 'GET',
    path: '/api/admin/metrics',
    summary: 'Event-loop delay, CPU, memory and open streams of this process (admins)',
    tag: 'admin',
    access: 'admin',
    querystring: processMetricsQuerySchema,
    response: { 200: processMetricsSchema, 403: error, ...userErrors },
  },
  tokens: {
    method: 'GET',
    path: '/api/admin/tokens',
    summary: 'API tokens (never their secrets)',
    tag: 'admin',
    access: 'admin',
    response: { 200: tokenListSchema, 403: error, ...userErrors },
  },
  createToken: {
    method: 'POST',
    path: '/api/admin/tokens',
    summary: 'Create an API token; the secret is in this answer only',
    tag: 'admin',
    access: 'admin',
    body: createTokenRequestSchema,
    response: { 201: createdTokenSchema, 400: error, 403: error, ...userErrors },
  },
  revokeToken: {
    method: 'DELETE',
    path: '/api/admin/tokens/:name',
    summary: 'Revoke an API token, at once on every instance',
    tag: 'admin',
    access: 'admin',
    params: tokenNameParamsSchema,
    notFound: 'not_found',
    response: { 204: z.null().describe('Revoked'), 403: error, 404: error, ...userErrors },
  },
} as const satisfies Record<string, Endpoint>;
