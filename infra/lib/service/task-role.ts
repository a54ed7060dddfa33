import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import { Construct } from 'constructs';
import { iamPolicyStatements } from '../../../src/aws/iam-policy.js';

/** What the IAM catalogue needs to know about this deployment (the same input `dualnova iam-policy` takes). */
export type CatalogueInput = Parameters<typeof iamPolicyStatements>[0];
export type CatalogueStatement = ReturnType<typeof iamPolicyStatements>[number];

export interface TaskRoleProps {
  catalogue: CatalogueInput;
}

/**
 * The role the app runs as. Its only policy is the app's IAM catalogue (src/aws/iam-policy.ts) for
 * this deployment's settings — the same statements `dualnova iam-policy` prints — so what the code
 * calls and what the role allows cannot drift apart.
 */
export class TaskRole extends Construct {
  readonly role: iam.Role;
  readonly statements: CatalogueStatement[];

  constructor(scope: Construct, id: string, props: TaskRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      description: 'dualnova app (ECS task role): exactly the actions of the app IAM catalogue',
      // Confused-deputy guard: only ECS tasks of this account and region may assume it.
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ecs', resource: '*' }) },
        },
      }),
    });

    this.statements = iamPolicyStatements(props.catalogue);
    const policy = new iam.Policy(this, 'Catalogue', {
      roles: [this.role],
      // minimize: false keeps the catalogue's statements (and Sids) one to one, as `dualnova iam-policy` prints them.
      document: new iam.PolicyDocument({
        statements: this.statements.map((statement) => iam.PolicyStatement.fromJson(statement)),
        minimize: false,
      }),
    });
    acknowledgeCatalogueWildcards(policy, this.statements);
  }
}

/**
 * The catalogue has three kinds of `*` by design; each is acknowledged with its reason. Any other
 * wildcard (a new one in the catalogue) stays a cdk-nag error until someone reviews and explains it.
 */
function acknowledgeCatalogueWildcards(policy: iam.Policy, statements: CatalogueStatement[]): void {
  const cfnPolicy = policy.node.defaultChild as iam.CfnPolicy;
  const findings = rules.iam.IAMNoWildcardPermissions(cfnPolicy);
  if (!Array.isArray(findings)) return;
  const unscopedActions = statements.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action);
  for (const finding of findings) {
    const reason = wildcardReason(finding, unscopedActions);
    if (reason) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

/** One ARN segment as cdk-nag flattens it: a literal, or a token such as `<AWS::AccountId>`. */
const SEGMENT = '(?:<[^>]*>|[^:<>]*)';
const FOUNDATION_MODEL_ANY_REGION = new RegExp(`^Resource::arn:${SEGMENT}:bedrock:\\*::foundation-model/[^*]+$`);
const ALARM_PREFIX = new RegExp(`^Resource::arn:${SEGMENT}:cloudwatch:${SEGMENT}:${SEGMENT}:alarm:[A-Za-z0-9_.-]+\\*$`);

function wildcardReason(finding: string, unscopedActions: string[]): string | undefined {
  if (finding === 'Resource::*') {
    return `These catalogue actions have no resource-level permissions in IAM, so * is the only valid resource: ${unscopedActions.join(', ')} (cloudwatch:PutMetricData, when present, is pinned to the app's namespace by a condition).`;
  }
  if (FOUNDATION_MODEL_ANY_REGION.test(finding)) {
    return 'A cross-region inference profile routes each call to the foundation model in any region of its geography; IAM needs the foundation-model ARN with the region as *. The model id itself is fixed (no model wildcard).';
  }
  if (ALARM_PREFIX.test(finding)) {
    return "Alarm actions are limited to the app's own alarm-name prefix; the alarms it manages are named under that prefix.";
  }
  return undefined;
}
