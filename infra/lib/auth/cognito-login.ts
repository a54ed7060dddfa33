import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface CognitoLoginProps {
  envName: string;
  /** The DNS name users open; the ALB's callback is https://DOMAIN/oauth2/idpresponse. */
  domainName: string;
  domainPrefix: string;
  sessionHours: number;
  retain: boolean;
}

/** Members are admins in the app (ADMIN_GROUPS); everyone else signed in is an agent. */
export const ADMIN_GROUP = 'dualnova-admins';
/** Groups created in the pool: admins, and agents (documentation only: any signed-in user is an agent). */
export const LOGIN_GROUPS = [ADMIN_GROUP, 'dualnova-agents'] as const;

/**
 * Staff login for AUTH_MODE=alb-oidc: a Cognito user pool (no self sign-up, MFA required, threat
 * protection enforced) and an app client used by the ALB's authenticate-cognito action. Users are
 * created by an administrator (docs/deploy.md).
 */
export class CognitoLogin extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** How long an ALB login session lasts before Cognito is asked again. */
  readonly sessionTimeout: Duration;

  constructor(scope: Construct, id: string, props: CognitoLoginProps) {
    super(scope, id);
    this.sessionTimeout = Duration.hours(props.sessionHours);
    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `dualnova-${props.envName}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const group of LOGIN_GROUPS) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group === ADMIN_GROUP ? 'dualnova admins: all usage, alarms, status details, API tokens' : 'dualnova support agents',
      });
    }
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.client = this.userPool.addClient('Alb', {
      userPoolClientName: 'alb',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`https://${props.domainName}/oauth2/idpresponse`],
        logoutUrls: [`https://${props.domainName}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(props.sessionHours),
    });
  }
}
