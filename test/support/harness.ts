/**
 * Starts the Dyplsapi sandbox and builds the real handler against it, with captured log lines.
 */
import { parseFunctionConfig } from '../../lib/query/config';
import { createHandler, type Handler, type HandlerDeps } from '../../lib/fc/handler';
import type { FcHttpResult } from '../../lib/shared/fc-types';
import { type DyplsSandbox, type IssuedCredentials, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import type { Envelope } from '../../lib/shared/schemas';
import openapi from '../../functions/query-subscription-detail/openapi.json';
import { divertLogLines } from '../../lib/dev/log-lines';

export interface LogCapture {
  lines: string[];
  records(): Record<string, unknown>[];
  sink: (line: string) => void;
}

/** Every line captured in this test file, and every secret handed out: test/support/privacy-setup.ts checks them after each file. */
export const allLogLines: string[] = [];
export const issuedSecrets = new Set<string>();

export function rememberSecrets<T extends IssuedCredentials>(c: T): T {
  for (const v of [c.accessKeyId, c.accessKeySecret, c.securityToken]) if (v) issuedSecrets.add(v);
  return c;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  return {
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    sink: (line) => {
      lines.push(line);
      allLogLines.push(line);
    },
  };
}

export interface Harness {
  sandbox: DyplsSandbox;
  handler: Handler;
  logs: LogCapture;
  credentials: IssuedCredentials;
  /** A handler with other settings against the same sandbox. */
  handlerWith(env: Record<string, string>, deps?: Partial<HandlerDeps>): Handler;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const sandbox = await startDyplsSandbox();
  const logs = captureLogs();
  const handlerWith = (more: Record<string, string>, deps: Partial<HandlerDeps> = {}) =>
    createHandler({
      config: parseFunctionConfig({ DYPLS_ENDPOINT: sandbox.url, DYPLS_TIMEOUT_MS: '1000', ...env, ...more }),
      openapiDocument: JSON.stringify(openapi),
      sink: logs.sink,
      ...deps,
    });
  return {
    sandbox,
    logs,
    credentials: rememberSecrets(sandbox.issueStsCredentials()),
    handler: handlerWith({}),
    handlerWith,
    close: () => sandbox.close(),
  };
}

/** Asserts the result is an HTTP result and parses its body. */
export function asHttp(result: unknown): FcHttpResult & { json: Envelope } {
  const r = result as FcHttpResult;
  if (typeof r?.statusCode !== 'number' || typeof r.body !== 'string') throw new Error(`not an HTTP result: ${JSON.stringify(result)}`);
  return { ...r, json: JSON.parse(r.body) as Envelope };
}

/** Asserts the result is a bare envelope (direct invocation). */
export function asEnvelope(result: unknown): Envelope {
  const r = result as Envelope;
  if (typeof r?.ok !== 'boolean') throw new Error(`not an envelope: ${JSON.stringify(result)}`);
  return r;
}

/**
 * The bundles log to stdout, as on FC: while a test file loads them, keep their JSON lines for the privacy check
 * instead of printing them. Returns the function that puts stdout back.
 */
export function captureBundleStdout(): () => void {
  return divertLogLines((line) => allLogLines.push(line));
}

export { busiestSecond } from '../../lib/dev/dyplsapi-sandbox';
