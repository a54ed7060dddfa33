import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface NetworkProps {
  /** Existing VPC id: looked up at synth (needs a concrete account/region and AWS credentials). */
  vpcId: string | undefined;
  cidr: string;
  maxAzs: number;
  natGateways: number;
  flowLogTraffic: 'ALL' | 'REJECT';
  logBucket: s3.IBucket;
}

/**
 * The VPC: public subnets for the ALB and NAT gateways, private subnets with egress for the tasks
 * (Bedrock, CloudWatch, Secrets Manager, ECR are reached through NAT; S3 through a free gateway
 * endpoint), isolated subnets for the database.
 */
export class Network extends Construct {
  readonly vpc: ec2.IVpc;
  readonly serviceSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  readonly databaseSubnets: ec2.SubnetSelection;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.vpcId) {
      this.vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId });
      // An existing VPC may have no isolated subnets; the database then shares the private ones.
      this.databaseSubnets = {
        subnetType: this.vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
      };
      return;
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: props.maxAzs,
      natGateways: props.natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toS3(props.logBucket, 'vpc-flow-logs/'),
      trafficType: props.flowLogTraffic === 'ALL' ? ec2.FlowLogTrafficType.ALL : ec2.FlowLogTrafficType.REJECT,
    });
    this.vpc = vpc;
    this.databaseSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  }
}
