/**
 * `dypls-query lookup | find | reconcile`: the operator's command line over the caller library's client, so
 * every answer is the envelope the deployed function gives a program. Answers the exit status; never throws.
 */
import { createBindingDetailClient, type Envelope, type InvokeTarget, type QueryRequestInput } from '../caller';
import { choice, HELP, integer, maskDigits, parseCommandLine, type Parsed, text, UsageError } from './args';
import { type CredentialSource, credentialChain, CREDENTIALS_HINT } from './credentials';
import type { Io } from './io';
import { reconcile } from './reconcile/run';
import { bindingTable, errorText, exitOf, findTable } from './show';

/** This repository's `--local`: the whole stack in the process. The published package has none. */
export type LocalStack = () => Promise<{ target: InvokeTarget; credentials: CredentialSource; close(): Promise<void> }>;

export interface CliDeps {
  io: Io;
  local?: LocalStack;
}

const DEFAULT_FUNCTION = 'query-subscription-detail';
/** A batch of 100 at its pace ends inside the function's 10 s; the caller waits a little longer. */
const INVOKE_TIMEOUT_MS = 15_000;

/** Where the function is, from the flags and the environment's ALIBABA_CLOUD_REGION_ID / _ACCOUNT_ID. */
function targetOf(values: Parsed['values'], env: Io['env']): InvokeTarget {
  const endpoint = text(values, 'endpoint');
  const region = text(values, 'region') ?? env.ALIBABA_CLOUD_REGION_ID;
  const accountId = text(values, 'account-id') ?? env.ALIBABA_CLOUD_ACCOUNT_ID;
  const missing = [region ? '' : '--region', accountId ? '' : '--account-id'].filter(Boolean);
  if (endpoint === undefined && missing.length > 0)
    throw new UsageError(`${missing.join(' and ')} needed (or ALIBABA_CLOUD_REGION_ID / ALIBABA_CLOUD_ACCOUNT_ID), or --endpoint URL`);
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new UsageError('--endpoint must be an http(s) URL');
  return {
    functionName: text(values, 'function') ?? DEFAULT_FUNCTION,
    region: region ?? 'local',
    accountId: accountId ?? 'local',
    qualifier: text(values, 'qualifier'),
    endpoint,
    internal: values.internal === true,
    timeoutMs: INVOKE_TIMEOUT_MS,
  };
}

/** The pool flags: exactly one of --pool-key and --product-type, as the function wants. */
function poolOf(values: Parsed['values']) {
  const poolKey = text(values, 'pool-key');
  const productType = text(values, 'product-type');
  if ((poolKey === undefined) === (productType === undefined)) throw new UsageError('give exactly one of --pool-key and --product-type');
  return poolKey !== undefined ? { poolKey } : { productType: productType as 'AXB_170' };
}

function need(values: Parsed['values'], name: string): string {
  const v = text(values, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

/** Prints one answer: a table on a terminal, else (or with --json) the envelope as the function answered it. */
function print<T>(io: Io, values: Parsed['values'], envelope: Envelope<T>, table: (data: T) => string): number {
  const asJson = values.json === true || !io.stdout.isTTY;
  if (asJson) io.stdout.write(`${JSON.stringify(envelope, null, io.stdout.isTTY ? 2 : undefined)}\n`);
  if (envelope.ok) {
    if (!asJson) io.stdout.write(`${table(envelope.data)}\n`);
    return 0;
  }
  io.stderr.write(`${errorText(envelope)}\n`);
  return exitOf(envelope);
}

/** The request of lookup or find, from the flags; a missing flag is a usage error before anything is asked. */
function requestOf(command: 'lookup' | 'find', values: Parsed['values']) {
  if (command === 'lookup') return { kind: command, request: { ...poolOf(values), subsId: need(values, 'subs-id'), phoneNoX: need(values, 'x') } } as const;
  return { kind: command, request: { ...poolOf(values), phoneNoX: need(values, 'x'), phoneNoA: text(values, 'a'), phoneNoB: text(values, 'b') } } as const;
}

function reconcileOptions(p: Parsed, argv: readonly string[]) {
  const { values } = p;
  if (p.positionals.length !== 1) throw new UsageError('reconcile takes one FILE (or - for standard input)');
  return {
    file: p.positionals[0] ?? '-',
    out: text(values, 'out'),
    format: choice(values, 'format', ['jsonl', 'csv'] as const, 'jsonl') ?? 'jsonl',
    inputFormat: choice(values, 'input-format', ['csv', 'jsonl'] as const, undefined),
    rps: integer(values, 'rps', 1, 1000, 50),
    parallel: integer(values, 'parallel', 1, 64, 4),
    maxRetries: integer(values, 'max-retries', 0, 20, 5),
    resume: values.resume === true,
    quiet: values.quiet === true,
    argv,
  };
}

const noCredentials = (reason: string) => `dypls-query: no credentials (${reason}): ${CREDENTIALS_HINT}\n`;

/** Where to send: the deployed function (the flags, the credential chain) or this repository's local stack. */
async function placeOf(values: Parsed['values'], deps: CliDeps) {
  if (values.local === true) {
    if (!deps.local) {
      throw new UsageError(
        '--local runs the embedded sandbox and the function in this process: only in the dypls-query repository (npm run cli -- … --local); this package reaches the deployed function',
      );
    }
    return deps.local();
  }
  return { target: targetOf(values, deps.io.env), credentials: credentialChain(text(values, 'profile')), close: async () => {} };
}

async function runCommand(p: Parsed & { command: 'lookup' | 'find' | 'reconcile' }, argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  const work = p.command === 'reconcile' ? undefined : requestOf(p.command, p.values);
  const options = p.command === 'reconcile' ? reconcileOptions(p, argv) : undefined;
  const place = await placeOf(p.values, deps);
  try {
    const first = await place.credentials();
    if (!first.ok) {
      io.stderr.write(noCredentials(first.reason));
      return 2;
    }
    const client = createBindingDetailClient(place.target);
    if (work?.kind === 'lookup') return print(io, p.values, await client.query(work.request, first.credentials), (b) => bindingTable([b], io.now()));
    if (work?.kind === 'find') return print(io, p.values, await client.find(work.request, first.credentials), (d) => findTable(d, io.now()));
    const ask = async (requests: readonly unknown[], maxRps: number) => {
      const c = await place.credentials();
      // Without credentials every row answers CredentialsUnavailable, which stops the run (resume once mended).
      return client.queryMany(requests as QueryRequestInput[], c.ok ? c.credentials : undefined, {
        batchSize: 100,
        parallelBatches: 1,
        maxRps,
        resubmitRounds: 0,
      });
    };
    return await reconcile(options as NonNullable<typeof options>, { ask, io });
  } finally {
    await place.close();
  }
}

/** Runs the command line `argv` (without node and the script); answers the exit status. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.values.help === true || parsed.command === undefined) {
      io.stdout.write(`${HELP[parsed.command ?? 'main']}\n`);
      return 0;
    }
    return await runCommand({ ...parsed, command: parsed.command }, argv, deps);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`dypls-query: ${err.message}\n`);
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.stderr.write(`dypls-query: unexpected ${e.name}: ${maskDigits(e.message).slice(0, 300)}\n`);
    return 1;
  }
}
