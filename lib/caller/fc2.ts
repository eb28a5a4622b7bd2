/**
 * FC 2.0 targets through @alicloud/fc2, an optional peer dependency: loaded on the first FC 2.0 call, never
 * at import, so that an FC 3.0 caller installs and bundles none of it (fc2 pulls ali-oss, axios, ws and
 * core-js). Only fc2's transport is replaced, because fc2 discards the body of non-2xx answers and reads only
 * the 2016 `ErrorCode` shape; its constructor, `invokeFunction`, `post` and signer are used as they are.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { type RawReply, send } from './transport';

/** The parts of fc2's Client this module relies on (it ships no typings). */
export interface Fc2Client {
  version: string;
  endpoint: string;
  accessKeyID: string;
  accessKeySecret: string;
  buildHeaders(): Record<string, string>;
  invokeFunction(serviceName: string, functionName: string, event: string, headers: Record<string, string>, qualifier?: string): Promise<RawReply>;
}
export type Fc2ClientCtor = (new (accountId: string, config: Record<string, unknown>) => Fc2Client) & {
  getSignature(id: string, secret: string, method: string, path: string, headers: Record<string, string | number>, queries: unknown): string;
};

// Built at run time: a bundler follows a literal specifier into fc2 (and fails on ali-oss's optional
// proxy-agent); an expression it leaves to Node, which resolves it from the installed package.
const FC2_PACKAGE = ['@alicloud', 'fc2'].join('/');

let loading: Promise<Fc2ClientCtor | undefined> | undefined;

function notInstalled(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** fc2's Client class, or undefined when the package is not installed. Loaded once per process. */
export function loadFc2(importer: (specifier: string) => Promise<unknown> = (s) => import(s)): Promise<Fc2ClientCtor | undefined> {
  loading ??= importer(FC2_PACKAGE).then(
    (m) => ((m as { default?: unknown }).default ?? m) as Fc2ClientCtor,
    (err: unknown) => {
      loading = undefined;
      if (notInstalled(err)) return undefined;
      throw err;
    },
  );
  return loading;
}

/** fc2's Client with a transport that keeps non-2xx bodies and uses the owning client's agent and limits. */
export function fc2Client(FCClient: Fc2ClientCtor, accountId: string, config: Record<string, unknown>, agent: http.Agent, timeoutMs: number): Fc2Client {
  class InvokeClient extends (FCClient as new (accountId: string, config: Record<string, unknown>) => Fc2Client) {
    async request(
      method: string,
      path: string,
      query: Record<string, string> | null,
      body: string | null,
      headers: Record<string, string> = {},
    ): Promise<RawReply> {
      const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
      const all: Record<string, string | number> = { ...this.buildHeaders(), ...headers };
      const payload = body === null ? undefined : Buffer.from(body, 'utf8');
      if (payload) {
        // As fc2 does: strings go as octet-stream, with its Content-MD5 (Base64 of the hex digest).
        all['content-type'] = 'application/octet-stream';
        all['content-length'] = payload.length;
        all['content-md5'] = Buffer.from(createHash('md5').update(payload).digest('hex')).toString('base64');
      }
      all.authorization = FCClient.getSignature(this.accessKeyID, this.accessKeySecret, method, `/${this.version}${path}`, all, null);
      return send(new URL(`${this.endpoint}/${this.version}${path}${search}`), method, all, payload, agent, timeoutMs);
    }
  }
  return new InvokeClient(accountId, config);
}
