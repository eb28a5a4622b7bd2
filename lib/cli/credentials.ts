/**
 * The operator's credentials, from the official Alibaba Cloud credential chain (@alicloud/credentials), as the
 * aliyun CLI and the SDKs find them: the ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN variables, an
 * OIDC role, the aliyun CLI's profile (~/.aliyun/config.json; `--profile` names one), ~/.alibabacloud/credentials,
 * the RAM role of the ECS instance, a credentials URI. Asked before every invocation: the chain refreshes STS
 * credentials that expire during a long reconcile. Nothing here prints a key, a secret or a token.
 */
import * as credentialsModule from '@alicloud/credentials';
import type { FcCredentials } from '../caller';

// A CommonJS module with `exports.default`: bundled to CommonJS (the package) its namespace has the class as
// `default`; loaded by Node's ESM loader (npm run cli) `default` is module.exports, which holds it.
type Module = typeof credentialsModule;
const loaded = credentialsModule as Module & { default: Module['default'] | Module };
const cjs: Module = typeof loaded.default === 'function' ? loaded : loaded.default;
const Credential = cjs.default;
const { CLIProfileCredentialsProvider } = cjs;

/** Credentials for the next invocation, or an explanation of why there are none (no key material in it). */
export type CredentialSource = () => Promise<{ ok: true; credentials: FcCredentials } | { ok: false; reason: string }>;

/** The chain's own messages name files and providers; any key-shaped or token-shaped text in them is cut. */
function safeReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .replace(/\b(LTAI|STS\.)[\w.+/=-]*/g, '$1…')
    .replace(/[\w+/=-]{24,}/g, '…')
    .slice(0, 400);
}

export function credentialChain(profile: string | undefined): CredentialSource {
  // An explicit profile is that profile, not the first source of the chain that happens to answer.
  const credential = profile === undefined ? new Credential() : new Credential(null, CLIProfileCredentialsProvider.builder().withProfileName(profile).build());
  return async () => {
    try {
      const c = await credential.getCredential();
      if (!c.accessKeyId || !c.accessKeySecret) return { ok: false, reason: 'the credential chain answered without an AccessKey' };
      return { ok: true, credentials: { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken } };
    } catch (err) {
      // The default chain's message strings together every source's failure; which sources it tried says enough.
      const reason =
        profile === undefined
          ? 'none in the environment variables, the aliyun CLI profile, ~/.alibabacloud/credentials or an ECS RAM role'
          : `profile ${JSON.stringify(profile.slice(0, 64))}: ${safeReason(err)}`;
      return { ok: false, reason };
    }
  };
}

/** What to do about missing credentials, for the error line. */
export const CREDENTIALS_HINT =
  'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS), or configure the aliyun CLI (aliyun configure) and pass --profile NAME; the identity needs fc:InvokeFunction on the function';
