import { z } from 'zod';
import { languageSchema } from './common.js';

export const DEPENDENCY_STATES = ['ok', 'degraded', 'denied', 'unconfigured', 'unreachable', 'error'] as const;
export const dependencyStateSchema = z.enum(DEPENDENCY_STATES);
export type DependencyState = z.infer<typeof dependencyStateSchema>;

/** One call behind a dependency entry (cloudwatch makes two: ListMetrics and DescribeAlarms). */
export const dependencyCheckSchema = z.object({
  /** The IAM action the call needs, e.g. `cloudwatch:ListMetrics`. */
  action: z.string(),
  state: dependencyStateSchema,
  detail: z.string(),
  latencyMs: z.number().optional(),
});
export type DependencyCheck = z.infer<typeof dependencyCheckSchema>;

export const dependencyStatusSchema = z.object({
  name: z.string(),
  state: dependencyStateSchema,
  /** What an operator needs to know, in plain words (empty for agents). */
  detail: z.string(),
  /** The IAM action that was refused, when state is `denied`. */
  missingPermission: z.string().optional(),
  latencyMs: z.number().optional(),
  checkedAt: z.string(),
  /** What to do about it, when the state is not `ok`. */
  fix: z.string().optional(),
  missingPermissions: z.array(z.string()).optional(),
  checks: z.array(dependencyCheckSchema).optional(),
  /** Chat cannot be served without this dependency. */
  required: z.boolean().optional(),
  /** True until the first check has finished. */
  pending: z.boolean().optional(),
});
export type DependencyStatus = z.infer<typeof dependencyStatusSchema>;

export const featureStatusSchema = z.object({ available: z.boolean(), reason: z.string().optional() });
export type FeatureStatus = z.infer<typeof featureStatusSchema>;

export const FEATURE_NAMES = ['chat', 'knowledgeBase', 'translation', 'tokenMonitoring', 'alarms'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export const providerSchema = z.enum(['offline', 'bedrock', 'openai']);

export const statusReportSchema = z.object({
  mode: providerSchema,
  provider: providerSchema,
  models: z.object({ fast: z.string(), detail: z.string() }),
  knowledgeBase: z.object({ source: z.enum(['local', 'bedrock-kb']), documents: z.number().int().optional() }),
  staffLanguage: languageSchema,
  dependencies: z.array(dependencyStatusSchema),
  features: z.object({
    chat: featureStatusSchema,
    knowledgeBase: featureStatusSchema,
    translation: featureStatusSchema,
    tokenMonitoring: featureStatusSchema,
    alarms: featureStatusSchema,
  }),
});
export type StatusReport = z.infer<typeof statusReportSchema>;

export const healthSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({ status: z.enum(['ready', 'not_ready']), reasons: z.array(z.string()) });
export type Readiness = z.infer<typeof readinessSchema>;

export const examplesQuerySchema = z.object({ lang: z.enum(['ko', 'en']).default('ko') });
export const examplesSchema = z.object({ questions: z.array(z.string()) });
