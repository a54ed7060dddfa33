import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2Actions from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { CognitoLogin } from '../auth/cognito-login.js';

export interface LoadBalancerProps {
  vpc: ec2.IVpc;
  internetFacing: boolean;
  certificateArn: string | undefined;
  /** Only these CIDRs may connect; empty = anyone (internet-facing) or the VPC (internal). */
  allowedCidrs: string[];
  idleTimeout: Duration;
  logBucket: s3.IBucket;
  deletionProtection: boolean;
  containerPort: number;
  login: CognitoLogin | undefined;
}

/** Health check of the target group: a broken task is out of rotation within 3 × 10 s. */
export const HEALTH_CHECK = {
  path: '/readyz',
  interval: Duration.seconds(10),
  timeout: Duration.seconds(5),
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 3,
} as const;

/**
 * The ALB in front of the tasks: HTTPS with the given ACM certificate and an HTTP→HTTPS redirect
 * (HTTP only, with a synth warning, when no certificate is given), optional Cognito login, and a
 * security group that admits only the allow-list when one is configured.
 */
export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly listener: elbv2.ApplicationListener;
  readonly https: boolean;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    this.https = props.certificateArn !== undefined;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'dualnova ALB',
      // Egress is opened only where needed: to the tasks (by the service) and, with Cognito, to the IdP on 443.
      allowAllOutbound: false,
    });
    const ports = this.https ? [443, 80] : [80];
    const peers: { peer: ec2.IPeer; label: string }[] =
      props.allowedCidrs.length > 0
        ? props.allowedCidrs.map((cidr) => ({ peer: ec2.Peer.ipv4(cidr), label: `allow-list ${cidr}` }))
        : props.internetFacing
          ? [{ peer: ec2.Peer.anyIpv4(), label: 'anyone (no allow-list)' }]
          : [{ peer: ec2.Peer.ipv4(props.vpc.vpcCidrBlock), label: 'the VPC (internal ALB)' }];
    for (const { peer, label } of peers) {
      for (const port of ports)
        this.securityGroup.addIngressRule(
          peer,
          ec2.Port.tcp(port),
          `${port === 80 && this.https ? 'HTTP redirect' : port === 443 ? 'HTTPS' : 'HTTP'} from ${label}`,
        );
    }
    if (props.allowedCidrs.length === 0 && props.internetFacing) {
      Validations.of(this.securityGroup).acknowledge({
        id: 'AwsSolutions-EC23',
        reason:
          'Internet-facing ALB with no allow-list configured (allowedCidrs empty): open ingress on 80/443 is the intent. Set allowedCidrs to restrict it; the rule is then not acknowledged.',
      });
    }

    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: props.internetFacing,
      vpcSubnets: { subnetType: props.internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      idleTimeout: props.idleTimeout,
      deletionProtection: props.deletionProtection,
      http2Enabled: true,
    });
    this.alb.logAccessLogs(props.logBucket, 'alb');

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: props.containerPort,
      healthCheck: { ...HEALTH_CHECK, healthyHttpCodes: '200', protocol: elbv2.Protocol.HTTP },
      // Long enough for a streaming answer to end; the app's own SIGTERM grace (25 s) follows.
      deregistrationDelay: Duration.seconds(30),
    });

    const forward = elbv2.ListenerAction.forward([this.targetGroup]);
    if (this.https && props.certificateArn) {
      const action = props.login
        ? new elbv2Actions.AuthenticateCognitoAction({
            userPool: props.login.userPool,
            userPoolClient: props.login.client,
            userPoolDomain: props.login.domain,
            sessionTimeout: props.login.sessionTimeout,
            next: forward,
          })
        : forward;
      this.listener = this.alb.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: action,
        open: false,
      });
      this.alb.addListener('HttpRedirect', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        open: false,
      });
    } else {
      this.listener = this.alb.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: forward,
        open: false,
      });
      Annotations.of(this).addWarningV2(
        'dualnova:http-only',
        'No certificateArn: the ALB serves plain HTTP on port 80, so questions, answers and any tokens cross the network unencrypted. Set -c certificateArn=arn:aws:acm:... for HTTPS with an HTTP→HTTPS redirect.',
      );
    }
  }

  /** The address users open: the configured domain, else the ALB's DNS name. */
  url(domainName: string | undefined): string {
    return `${this.https ? 'https' : 'http'}://${domainName ?? this.alb.loadBalancerDnsName}`;
  }
}
