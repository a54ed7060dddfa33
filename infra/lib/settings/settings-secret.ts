import { RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface SettingsSecretProps {
  envName: string;
  /** Use this existing secret instead of creating one. */
  existingSecretArn: string | undefined;
  /** Keep the secret when the stack is deleted (prod); dev deletes it with the stack. */
  retain: boolean;
  partition: string;
}

/**
 * The app's settings secret: a JSON object of setting names (OPENAI_API_KEY, API tokens, ...) that
 * the app reads at start through DUALNOVA_SETTINGS_SECRET (environment variables win over it).
 * Created empty; operators fill it with `aws secretsmanager put-secret-value` (docs/deploy.md).
 */
export class SettingsSecret extends Construct {
  readonly secret: secretsmanager.ISecret;
  /**
   * The ARN the IAM catalogue grants: a given secret's complete ARN, or for the secret created here
   * its partial ARN (`arn:...:secret:dualnova/ENV/settings`), which the catalogue turns into
   * `...settings-??????` — exactly this secret, whose random suffix is unknown until it exists.
   */
  readonly arnForPolicy: string;

  constructor(scope: Construct, id: string, props: SettingsSecretProps) {
    super(scope, id);
    if (props.existingSecretArn) {
      this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', props.existingSecretArn);
      this.arnForPolicy = props.existingSecretArn;
      return;
    }
    const secretName = `dualnova/${props.envName}/settings`;
    const stack = Stack.of(this);
    this.arnForPolicy = `arn:${props.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${secretName}`;
    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName,
      description: 'dualnova settings (JSON object of setting names to values); read by the app at start',
      // An empty JSON object, not a secret: the real values are put by the operator and never pass through the template.
      secretStringValue: SecretValue.unsafePlainText('{}'),
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds operator-provided settings (third-party API keys, API tokens) with no rotation function that could change them at their source; they are rotated by the operator (docs/deploy.md, "Rotating secrets").',
    });
    this.secret = secret;
  }
}
