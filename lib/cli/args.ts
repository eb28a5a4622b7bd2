/**
 * The command line's flags, parsed with node:util's parseArgs (strict: an unknown or misspelt flag is a usage
 * error, never ignored), and each command's help. Nothing here reads the environment or the network.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in what was typed (a flag, a file, an existing output): exit status 2, and the message says what to fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Digit runs that may be phone numbers, masked, for any text that quotes what was typed. */
export const maskDigits = (s: string) => s.replace(/\d{5,}/g, (d) => `${d.slice(0, 3)}****`);

export type Command = 'lookup' | 'find' | 'reconcile';
type Options = NonNullable<ParseArgsConfig['options']>;

const GLOBAL: Options = {
  function: { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  qualifier: { type: 'string' },
  endpoint: { type: 'string' },
  internal: { type: 'boolean' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  local: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const POOL: Options = { 'pool-key': { type: 'string' }, 'product-type': { type: 'string' }, x: { type: 'string' } };

const COMMAND_OPTIONS: Record<Command, Options> = {
  lookup: { ...POOL, 'subs-id': { type: 'string' } },
  find: { ...POOL, a: { type: 'string' }, b: { type: 'string' } },
  reconcile: {
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    'input-format': { type: 'string' },
    rps: { type: 'string' },
    parallel: { type: 'string' },
    resume: { type: 'boolean' },
    'max-retries': { type: 'string' },
  },
};

const GLOBAL_HELP = `Where the function is (the deployed dypls-query function, through Function Compute's InvokeFunction):
  --function NAME      the function's name (default query-subscription-detail)
  --region ID          its region, e.g. cn-hangzhou (default: ALIBABA_CLOUD_REGION_ID)
  --account-id ID      its account (default: ALIBABA_CLOUD_ACCOUNT_ID)
  --qualifier Q        version or alias (default LATEST)
  --endpoint URL       an FC 3.0 invoke endpoint instead of the public one of the region
  --internal           use the region's internal endpoint (on ECS or FC in that region)
Credentials (the Alibaba Cloud default chain: ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN, the aliyun
CLI's profile, ~/.alibabacloud/credentials, the RAM role of the ECS instance; the identity needs fc:InvokeFunction):
  --profile NAME       the aliyun CLI profile to use (~/.aliyun/config.json)
Output:
  --json               print the function's envelope as JSON (also when stdout is not a terminal)
  --quiet              no progress, no summary
  --local              run the whole stack here, against the embedded sandbox (this repository only)
  -h, --help           this help`;

export const HELP: Record<Command | 'main', string> = {
  main: `usage: dypls-query <command> [flags]

Commands:
  lookup      one binding, by its SubsId
  find        every binding of a masked number X (optionally with A or B)
  reconcile   a list of lookups of any length (CSV or JSON Lines), with one rate budget and resume

Run dypls-query <command> --help for its flags and an example.

Exit status: 0 answered; 1 a retryable failure remains (try again later); 2 a usage or input error;
3 answered with a final error (lookup and find: not found, not your pool, no permission).`,
  lookup: `usage: dypls-query lookup (--pool-key FC… | --product-type T) --subs-id ID --x NUMBER [flags]

  --pool-key KEY       the number pool's key (FC followed by digits)
  --product-type T     legacy accounts: AXB_170, AXN_170, AXN_95 or AXN_EXTENSION_REUSE, instead of --pool-key
  --subs-id ID         the binding's SubsId
  --x NUMBER           the masked number X

${GLOBAL_HELP}

Example:
  dypls-query lookup --region cn-hangzhou --account-id 1234567890123456 --pool-key FC100000012345678 --subs-id 1000000768798832 --x 17000000000`,
  find: `usage: dypls-query find (--pool-key FC… | --product-type T) --x NUMBER [--a NUMBER] [--b NUMBER] [flags]

  --pool-key KEY       the number pool's key (FC followed by digits)
  --product-type T     legacy accounts, instead of --pool-key
  --x NUMBER           the masked number X
  --a NUMBER           only the bindings whose A is this number (the customer's own number)
  --b NUMBER           only the bindings whose B is this number

${GLOBAL_HELP}

Example:
  dypls-query find --region cn-hangzhou --account-id 1234567890123456 --pool-key FC100000012345678 --x 17000000010 --a 15000000010`,
  reconcile: `usage: dypls-query reconcile FILE [--out FILE] [--format jsonl|csv] [--rps N] [--parallel K] [--resume] [flags]

  FILE                 CSV with a header row (poolKey/PoolKey, productType, subsId, phoneNoX, …) or JSON Lines (one
                       request object a line); - reads standard input
  --input-format F     csv or jsonl (default: from the file's extension, else from its first character)
  -o, --out FILE       where the results go (default: standard output); the checkpoint for --resume
  --format F           jsonl (default) or csv
  --rps N              lookups per second for the whole run, across all batches in flight (default 50, at most 1000)
  --parallel K         batches in flight at once (default 4, at most 64)
  --max-retries N      times a row answered retryable (throttled, not attempted, timed out) is asked again (default 5)
  --resume             continue a run that stopped: keep the rows already in --out, ask only the rest

${GLOBAL_HELP}

Example:
  dypls-query reconcile disputed.csv --out disputed.results.jsonl --rps 100 --region cn-hangzhou --account-id 1234567890123456`,
};

export interface Parsed {
  command: Command | undefined;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The command and its flags; `--help` anywhere, or no command, shows the matching help. */
export function parseCommandLine(argv: readonly string[]): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: undefined, values: { help: true }, positionals: [] };
  if (first !== 'lookup' && first !== 'find' && first !== 'reconcile') {
    throw new UsageError(`unknown command ${JSON.stringify(first.slice(0, 40))}: use lookup, find or reconcile (dypls-query --help)`);
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...GLOBAL, ...COMMAND_OPTIONS[first] },
      strict: true,
      allowPositionals: first === 'reconcile',
    });
    return { command: first, values: values as Parsed['values'], positionals };
  } catch (err) {
    // parseArgs names the flag, and may quote a stray value: digits in it are masked, it may be a phone number.
    const message = (err instanceof Error ? err.message : String(err))
      .replace(/\s*To specify a positional argument[^]*$/, '')
      .replace(/\d{5,}/g, (d) => `${d.slice(0, 3)}****`);
    throw new UsageError(`${maskDigits(message)} (dypls-query ${first} --help)`);
  }
}

/** A string flag's value, trimmed; undefined when absent or blank. */
export function text(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** An integer flag in [min, max], or its default; anything else is a usage error naming the range. */
export function integer(values: Parsed['values'], name: string, min: number, max: number, fallback: number): number {
  const raw = text(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** One of `choices`, or the default. */
export function choice<T extends string>(values: Parsed['values'], name: string, choices: readonly T[], fallback: T | undefined): T | undefined {
  const raw = text(values, name);
  if (raw === undefined) return fallback;
  const found = choices.find((c) => c === raw.toLowerCase());
  if (!found) throw new UsageError(`--${name} must be ${choices.join(' or ')}`);
  return found;
}
