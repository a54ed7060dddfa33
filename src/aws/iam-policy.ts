/**
 * The least-privilege IAM policy for one deployment, generated from the catalogue
 * (iam-catalogue.ts). Pure functions only: the CDK stack imports `iamPolicyStatements` directly.
 */
import { baseModelId } from '../models/catalogue.js';
import { actionsOfScope, type ResourceScope } from './iam-catalogue.js';

/** Stands for the account id when it is not known; CloudFormation's Fn::Sub fills it in. */
export const ACCOUNT_PLACEHOLDER = '${AWS::AccountId}';

export interface IamPolicyInput {
  region: string;
  accountId: string;
  fastModelId: string;
  detailModelId: string;
  knowledgeBaseId?: string;
  settingsSecretArn?: string;
  alarmNamePrefix: string;
  metricsNamespace?: string;
}

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** `aws`, `aws-cn` or `aws-us-gov`, from the region name. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const PROFILE_ID = /^(us|eu|apac|us-gov|global|jp|au|ca)\.[a-z0-9-]+\..+$/;
const ARN = /^arn:(aws[a-z-]*):bedrock:([a-z0-9-]*):(\d*):(inference-profile|application-inference-profile|foundation-model)\/(.+)$/;

interface ModelResources {
  /** What InvokeModel* must be allowed on. */
  invoke: string[];
  /** Profiles checked with GetInferenceProfile. */
  profiles: string[];
  /** Base models checked with GetFoundationModel. */
  foundationModels: string[];
}

/**
 * The ARNs one configured model id needs. A cross-region profile id (`us.amazon.nova-pro-v1:0`)
 * needs the profile ARN in the home region and the foundation-model ARN in every region it routes
 * to (hence `*` as region — never as model). A base id needs its foundation-model ARN in the region.
 */
export function modelResources(modelId: string, region: string, accountId: string): ModelResources {
  const partition = partitionOf(region);
  const arn = ARN.exec(modelId);
  if (arn) {
    const [, arnPartition = partition, , , kind = '', id = ''] = arn;
    if (kind === 'foundation-model') return { invoke: [modelId], profiles: [], foundationModels: [modelId] };
    if (kind === 'application-inference-profile') {
      // Its underlying model is not visible in the id; grant the profile only (see docs/operations.md).
      return { invoke: [modelId], profiles: [modelId], foundationModels: [] };
    }
    return {
      invoke: [modelId, `arn:${arnPartition}:bedrock:*::foundation-model/${baseModelId(id)}`],
      profiles: [modelId],
      foundationModels: [],
    };
  }
  if (PROFILE_ID.test(modelId)) {
    const profileArn = `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${modelId}`;
    return {
      invoke: [profileArn, `arn:${partition}:bedrock:*::foundation-model/${baseModelId(modelId)}`],
      profiles: [profileArn],
      foundationModels: [],
    };
  }
  const foundationArn = `arn:${partition}:bedrock:${region}::foundation-model/${modelId}`;
  return { invoke: [foundationArn], profiles: [], foundationModels: [foundationArn] };
}

/**
 * The Secrets Manager resource for DUALNOVA_SETTINGS_SECRET. A full ARN is used as given; a name
 * (or an ARN without the 6-character suffix Secrets Manager appends) gets `-??????`, which matches
 * exactly that suffix and nothing longer. A bare CDK token is taken for a complete ARN. (A secret
 * whose name itself ends in `-` and 6 letters or digits is ambiguous: pass its complete ARN.)
 */
export function secretResourceArn(secretId: string, region: string, accountId: string): string {
  if (secretId.startsWith('arn:')) {
    return /-[A-Za-z0-9]{6}$/.test(secretId) ? secretId : `${secretId}-??????`;
  }
  // A bare unresolved CDK token (`${Token[...]}`, e.g. Secret.secretArn) stands for a complete ARN.
  if (secretId.includes('${')) return secretId;
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${accountId}:secret:${secretId}-??????`;
}

/** The region inside an ARN (`arn:aws:secretsmanager:eu-west-1:…` → `eu-west-1`). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return arn.startsWith('arn:') && region ? region : undefined;
}

const unique = (values: string[]): string[] => [...new Set(values)];

/** Every statement the app needs for these settings, one per resource scope, in a stable order. */
export function iamPolicyStatements(input: {
  region: string;
  accountId: string;
  fastModelId: string;
  detailModelId: string;
  knowledgeBaseId?: string;
  settingsSecretArn?: string;
  alarmNamePrefix: string;
  metricsNamespace?: string;
}): Array<{
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}> {
  const { region, accountId } = input;
  const partition = partitionOf(region);
  const models = unique([input.fastModelId, input.detailModelId]).map((id) => modelResources(id, region, accountId));
  const statements: IamStatement[] = [];
  const add = (Sid: string, scope: ResourceScope, Resource: string[], Condition?: IamStatement['Condition']) => {
    const Action = actionsOfScope(scope);
    if (Action.length === 0 || Resource.length === 0) return;
    statements.push({ Sid, Effect: 'Allow', Action, Resource: unique(Resource), ...(Condition ? { Condition } : {}) });
  };

  add(
    'InvokeModels',
    'model',
    models.flatMap((m) => m.invoke),
  );
  add(
    'ReadInferenceProfiles',
    'inference-profile',
    models.flatMap((m) => m.profiles),
  );
  add(
    'ReadFoundationModels',
    'foundation-model',
    models.flatMap((m) => m.foundationModels),
  );
  if (input.knowledgeBaseId) {
    add('KnowledgeBase', 'knowledge-base', [`arn:${partition}:bedrock:${region}:${accountId}:knowledge-base/${input.knowledgeBaseId}`]);
  }
  if (input.settingsSecretArn) {
    const secretRegion = regionOfArn(input.settingsSecretArn) ?? region;
    add('ReadSettingsSecret', 'secret', [secretResourceArn(input.settingsSecretArn, secretRegion, accountId)]);
  }
  // GetMetricData and ListMetrics have no resource-level permissions in IAM (and no namespace
  // condition): `*` is the only valid resource. This is the one unconditioned `*` of the policy.
  add('ReadBedrockMetrics', 'unscoped', ['*']);
  add('ManageAppAlarms', 'alarm-prefix', [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${input.alarmNamePrefix}*`]);
  if (input.metricsNamespace) {
    // PutMetricData has no resource-level permissions either; the namespace condition pins it to ours.
    add('PublishAppMetrics', 'metrics-namespace', ['*'], { StringEquals: { 'cloudwatch:namespace': input.metricsNamespace } });
  }
  return statements;
}

export function iamPolicyDocument(statements: IamStatement[]): IamPolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The statements that would grant exactly these actions (for `dualnova doctor`'s fixes): the
 * policy's own statements, cut down to the requested actions. Actions the catalogue does not know
 * (kms:Decrypt...) are left out; the caller says so.
 */
export function statementsForActions(actions: string[], input: IamPolicyInput): IamStatement[] {
  const wanted = new Set(actions);
  return iamPolicyStatements(input).flatMap((statement) => {
    const Action = statement.Action.filter((action) => wanted.has(action));
    return Action.length === 0 ? [] : [{ ...statement, Action }];
  });
}
