/**
 * STS-style credentials for the local servers to issue, shaped like real ones so that they stress the same
 * encoding paths (percent-encoding of + / =, long tokens).
 */
import { randomBytes } from 'node:crypto';

/** A fresh STS-style credential set: `STS.` key, base64 secret, and a long `CAIS…` token with + / = (as real ones). */
export function newStsCredentials(): { accessKeyId: string; accessKeySecret: string; securityToken: string } {
  return {
    accessKeyId: `STS.${randomBytes(12).toString('hex')}`,
    accessKeySecret: randomBytes(21).toString('base64'),
    securityToken: `CAIS${randomBytes(96).toString('base64')}`,
  };
}
