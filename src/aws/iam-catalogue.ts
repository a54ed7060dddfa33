/**
 * Every AWS SDK command dualnova sends (or is about to send), with the IAM action it needs and the
 * resources that action can be limited to. `dualnova iam-policy`, `dualnova doctor` and the CDK
 * task role are all generated from this one table; test/unit/aws-iam-catalogue.test.ts fails when
 * a `new XxxCommand(` in src/ has no entry here.
 */

/** Which resources a catalogue action is granted on (see iam-policy.ts for the ARNs). */
export type ResourceScope =
  /** Invocation: the inference-profile ARN of each configured profile id, plus the foundation-model ARN it routes to. */
  | 'model'
  /** The inference-profile ARN of each configured profile id. */
  | 'inference-profile'
  /** The foundation-model ARN of each configured base model id, in the Bedrock region. */
  | 'foundation-model'
  /** The configured Bedrock knowledge base. */
  | 'knowledge-base'
  /** The settings secret (DUALNOVA_SETTINGS_SECRET). */
  | 'secret'
  /** CloudWatch alarms whose names start with ALARM_NAME_PREFIX. */
  | 'alarm-prefix'
  /** `*` with a `cloudwatch:namespace` condition: PutMetricData has no resource-level permissions. */
  | 'metrics-namespace'
  /** `*`: IAM offers no resource-level permissions for these actions. */
  | 'unscoped'
  /** No IAM permission is needed. */
  | 'none';

export type AwsService =
  'bedrock-runtime' | 'bedrock' | 'bedrock-agent' | 'bedrock-agent-runtime' | 'cloudwatch' | 'secrets-manager' | 'sts';

export interface CatalogueEntry {
  service: AwsService;
  /** IAM actions the command needs; empty when none. */
  actions: readonly string[];
  scope: ResourceScope;
  /** What dualnova uses it for. */
  usedFor: string;
  note?: string;
}

export const IAM_CATALOGUE = {
  // bedrock-runtime: the answers.
  ConverseStreamCommand: {
    service: 'bedrock-runtime',
    actions: ['bedrock:InvokeModelWithResponseStream'],
    scope: 'model',
    usedFor: 'streaming the overview and detail answers',
  },
  ConverseCommand: {
    service: 'bedrock-runtime',
    actions: ['bedrock:InvokeModel'],
    scope: 'model',
    usedFor: 'non-streamed model calls',
  },
  // bedrock-agent-runtime: the knowledge base.
  RetrieveCommand: {
    service: 'bedrock-agent-runtime',
    actions: ['bedrock:Retrieve'],
    scope: 'knowledge-base',
    usedFor: 'searching the Bedrock knowledge base for each question',
  },
  // Control plane reads: the background dependency checks.
  GetInferenceProfileCommand: {
    service: 'bedrock',
    actions: ['bedrock:GetInferenceProfile'],
    scope: 'inference-profile',
    usedFor: 'checking that a configured inference profile exists and is ACTIVE',
  },
  GetFoundationModelCommand: {
    service: 'bedrock',
    actions: ['bedrock:GetFoundationModel'],
    scope: 'foundation-model',
    usedFor: 'checking a configured base model id (and whether it can be invoked on demand)',
  },
  GetKnowledgeBaseCommand: {
    service: 'bedrock-agent',
    actions: ['bedrock:GetKnowledgeBase'],
    scope: 'knowledge-base',
    usedFor: 'checking that the knowledge base exists and is ACTIVE',
  },
  // CloudWatch: token monitoring and alarms.
  GetMetricDataCommand: {
    service: 'cloudwatch',
    actions: ['cloudwatch:GetMetricData'],
    scope: 'unscoped',
    usedFor: 'reading the AWS/Bedrock token and invocation metrics',
    note: 'IAM has no resource-level permissions or namespace condition for GetMetricData.',
  },
  ListMetricsCommand: {
    service: 'cloudwatch',
    actions: ['cloudwatch:ListMetrics'],
    scope: 'unscoped',
    usedFor: 'discovering the ModelId dimension values present in AWS/Bedrock (and the background check)',
    note: 'IAM has no resource-level permissions or namespace condition for ListMetrics.',
  },
  DescribeAlarmsCommand: {
    service: 'cloudwatch',
    actions: ['cloudwatch:DescribeAlarms'],
    scope: 'alarm-prefix',
    usedFor: "showing the states of the app's alarms (and the background check)",
    note: 'Composite alarms would need `*`; dualnova only reads metric alarms under its prefix.',
  },
  PutMetricAlarmCommand: {
    service: 'cloudwatch',
    actions: ['cloudwatch:PutMetricAlarm'],
    scope: 'alarm-prefix',
    usedFor: 'creating and updating token, throttle and error alarms from the CLI',
  },
  DeleteAlarmsCommand: {
    service: 'cloudwatch',
    actions: ['cloudwatch:DeleteAlarms'],
    scope: 'alarm-prefix',
    usedFor: 'deleting alarms the app created',
  },
  PutMetricDataCommand: {
    service: 'cloudwatch',
    actions: ['cloudwatch:PutMetricData'],
    scope: 'metrics-namespace',
    usedFor: "publishing the app's own metrics (only when a metrics namespace is configured)",
    note: 'No resource-level permissions; limited to the namespace by the cloudwatch:namespace condition key.',
  },
  // Secrets Manager: settings.
  GetSecretValueCommand: {
    service: 'secrets-manager',
    actions: ['secretsmanager:GetSecretValue'],
    scope: 'secret',
    usedFor: 'reading the settings secret at start-up',
    note: 'A secret encrypted with a customer-managed KMS key also needs kms:Decrypt on that key.',
  },
  DescribeSecretCommand: {
    service: 'secrets-manager',
    actions: ['secretsmanager:DescribeSecret'],
    scope: 'secret',
    usedFor: 'the background check of the settings secret (metadata only, never the value)',
  },
  // STS: identity.
  GetCallerIdentityCommand: {
    service: 'sts',
    actions: [],
    scope: 'none',
    usedFor: 'showing which account and role the app runs as; the account id for the IAM policy',
    note: 'Needs no IAM permission: an explicit Deny on sts:GetCallerIdentity has no effect.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type CatalogueCommand = keyof typeof IAM_CATALOGUE;

const ENTRIES: ReadonlyArray<[string, CatalogueEntry]> = Object.entries(IAM_CATALOGUE);

export function catalogueEntry(command: string): CatalogueEntry | undefined {
  return ENTRIES.find(([name]) => name === command)?.[1];
}

/** Every IAM action of a scope, in catalogue order, without duplicates. */
export function actionsOfScope(scope: ResourceScope): string[] {
  return [...new Set(ENTRIES.filter(([, entry]) => entry.scope === scope).flatMap(([, entry]) => entry.actions))];
}
