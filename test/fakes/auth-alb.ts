/**
 * A fake of what an Application Load Balancer does for OIDC login, for tests on loopback: an ES256
 * key pair generated here, the regional public-key endpoint (`GET /<region>/<kid>` → PEM), and a
 * signer that writes `x-amzn-oidc-data` exactly like the ALB (base64url segments padded with `=`).
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/dualnova-test/50dc6c495c0c9188';

export interface SignOptions {
  /** Replaces or adds header fields (signer, exp, kid, alg …). */
  header?: Record<string, unknown>;
  /** Default true, like the ALB. */
  padded?: boolean;
  /** Sign with another private key (a forger's). */
  privateKey?: KeyObject;
}

export interface FakeAlb {
  arn: string;
  kid: string;
  /** For ALB_KEY_URL: `http://127.0.0.1:<port>/{region}/{kid}`. */
  keyUrl: string;
  /** Paths the key endpoint was asked for. */
  keyRequests: string[];
  /** Answer every key request with this status (e.g. 500), or restore (undefined). */
  failWith(status: number | undefined): void;
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  /** Claims of a user valid for 2 minutes. */
  claims(sub: string, extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

function segment(value: Buffer | string, padded: boolean): string {
  const text = Buffer.from(value).toString('base64url');
  return padded ? text.padEnd(Math.ceil(text.length / 4) * 4, '=') : text;
}

export function newKeyPair() {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export async function startFakeAlb(arn = FAKE_ALB_ARN): Promise<FakeAlb> {
  const { privateKey, publicKey } = newKeyPair();
  const kid = randomUUID();
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const region = arn.split(':')[3] ?? '';
  const keyRequests: string[] = [];
  let failure: number | undefined;
  const server = http.createServer((req, res) => {
    keyRequests.push(req.url ?? '');
    if (failure !== undefined) {
      res.writeHead(failure).end('failure');
      return;
    }
    if (req.url === `/${region}/${kid}`) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    arn,
    kid,
    keyUrl: `http://127.0.0.1:${port}/{region}/{kid}`,
    keyRequests,
    failWith(status) {
      failure = status;
    },
    sign(claims, options = {}) {
      const padded = options.padded ?? true;
      const header = {
        typ: 'JWT',
        kid,
        alg: 'ES256',
        iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST',
        client: 'testclient',
        signer: arn,
        exp: Math.floor(Date.now() / 1000) + 120,
        ...options.header,
      };
      const input = `${segment(JSON.stringify(header), padded)}.${segment(JSON.stringify(claims), padded)}`;
      const signature = sign('sha256', Buffer.from(input), { key: options.privateKey ?? privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${segment(signature, padded)}`;
    },
    claims(sub, extra = {}) {
      return {
        sub,
        email: `${sub}@example.com`,
        username: sub,
        exp: Math.floor(Date.now() / 1000) + 120,
        iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST',
        ...extra,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
