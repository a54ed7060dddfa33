import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationsProps {
  envName: string;
  email: string;
}

/**
 * The alarm topic: encrypted with a customer-managed key (CloudWatch cannot publish to a topic that
 * uses the AWS-managed SNS key), TLS-only, with one e-mail subscription to confirm.
 */
export class Notifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', { description: `dualnova ${props.envName} alarm topic`, enableKeyRotation: true });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { displayName: `dualnova ${props.envName} alarms`, masterKey: key, enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
