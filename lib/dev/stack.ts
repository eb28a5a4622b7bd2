/**
 * The local stack behind `npm start`, `npm run invoke` and the gateway tests: the built bundle (exactly what
 * deploys), loaded the way FC loads it, against the embedded Dyplsapi sandbox or a real endpoint.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type DevEnv, withFunctionEnv } from './env';
import type { FcContext, FcCredentials } from '../shared/fc-types';
import { type DyplsSandbox, startDyplsSandbox } from './dyplsapi-sandbox';
import { type Gateway, type PlatformHandler, startFcGateway } from './fc-gateway';

export const BUNDLE_PATH = 'dist/query-subscription-detail/index.js';

/** Loads the built bundle afresh with the given function variables, as a new FC instance would. */
export function loadBundledHandler(env: Readonly<Record<string, string>>, bundlePath = BUNDLE_PATH): PlatformHandler {
  const absolute = resolve(bundlePath);
  const req = createRequire(absolute);
  delete req.cache[absolute];
  const mod = withFunctionEnv(env, () => req(absolute) as { handler?: unknown });
  if (typeof mod.handler !== 'function') throw new Error(`${bundlePath} does not export handler; run npm run build`);
  return mod.handler as PlatformHandler;
}

export interface LocalStack {
  /** The Dyplsapi endpoint the function calls. */
  endpoint: string;
  sandbox: DyplsSandbox | undefined;
  handler: PlatformHandler;
  /** Credentials for one invocation: fresh STS-style ones from the sandbox, or the developer's own. */
  credentials(): FcCredentials;
  context(requestId: string): FcContext;
  close(): Promise<void>;
}

export async function startLocalStack(options: {
  upstream?: string;
  env?: Pick<DevEnv, 'ALIBABA_CLOUD_ACCESS_KEY_ID' | 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' | 'ALIBABA_CLOUD_SECURITY_TOKEN'>;
  functionEnv?: Record<string, string>;
  sandboxPort?: number;
}): Promise<LocalStack> {
  const sandbox = options.upstream ? undefined : await startDyplsSandbox({ port: options.sandboxPort ?? 0 });
  const endpoint = options.upstream ?? (sandbox as DyplsSandbox).url;
  const handler = loadBundledHandler({ ...options.functionEnv, DYPLS_ENDPOINT: endpoint.replace(/\/$/, '') });
  const env = options.env ?? {};
  // With a real endpoint the developer's own credentials go into the synthetic context: the gateway's job,
  // never the handler's, which reads only the context.
  const credentials = (): FcCredentials =>
    sandbox
      ? sandbox.issueStsCredentials(15 * 60 * 1000)
      : {
          accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
          accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN,
        };
  return {
    endpoint,
    sandbox,
    handler,
    credentials,
    context: (requestId) => ({
      requestId,
      credentials: credentials(),
      function: { name: 'query-subscription-detail', handler: 'index.handler', memory: 256, timeout: 10 },
      service: { logProject: 'local', logStore: 'local', qualifier: 'LATEST' },
      region: 'cn-hangzhou',
      accountId: '1234567890123456',
    }),
    close: async () => {
      await sandbox?.close();
    },
  };
}

/** The stack plus the HTTP gateway in front of it. */
export async function startLocalServer(options: Parameters<typeof startLocalStack>[0] & { port?: number; host?: string }): Promise<{
  stack: LocalStack;
  gateway: Gateway;
  close(): Promise<void>;
}> {
  const stack = await startLocalStack(options);
  try {
    const gateway = await startFcGateway({ handler: stack.handler, credentials: stack.credentials, port: options.port, host: options.host });
    return {
      stack,
      gateway,
      close: async () => {
        await gateway.close();
        await stack.close();
      },
    };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

/** The requests `npm start` prints, from the demo data: found, not found, invalid, and a find by X. */
export function exampleCurls(baseUrl: string): { title: string; command: string }[] {
  return [
    {
      title: 'a binding that exists (GET, query string)',
      command: `curl -s '${baseUrl}/?poolKey=FC100000012345678&subsId=1000000768798832&phoneNoX=17000000000'`,
    },
    {
      title: 'a binding that does not exist (POST, JSON body): 404 isv.SUBS_NOT_EXIST',
      command: `curl -s -X POST '${baseUrl}/' -H 'Content-Type: application/json' -d '{"poolKey":"FC100000012345678","subsId":"1000000000000000","phoneNoX":"17000000000"}'`,
    },
    {
      title: 'a request with bad fields: 400 InvalidRequest listing each one',
      command: `curl -s '${baseUrl}/?poolKey=FC100000012345678&subsId=12ab&phoneNoX=123'`,
    },
    {
      title: 'no SubsId at hand: every binding of X whose A is the customer (a find)',
      command: `curl -s '${baseUrl}/?poolKey=FC100000012345678&phoneNoX=17000000010&phoneNoA=15000000010'`,
    },
  ];
}

/** The operator's commands `npm start` prints, each against the whole stack in its own process (--local). */
export function exampleCliCommands(): { title: string; args: string[] }[] {
  return [
    {
      title: 'one binding, as a table on a terminal',
      args: ['lookup', '--local', '--pool-key', 'FC100000012345678', '--subs-id', '1000000768798832', '--x', '17000000000'],
    },
    {
      title: 'every binding of X whose A is the customer',
      args: ['find', '--local', '--pool-key', 'FC100000012345678', '--x', '17000000010', '--a', '15000000010'],
    },
    { title: 'a list, one result row per input row (JSON Lines on stdout)', args: ['reconcile', 'lib/dev/reconcile-demo.csv', '--local'] },
  ];
}
