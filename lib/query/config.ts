/**
 * The query function's settings: the one place in the deployed function that reads environment variables
 * (lint forbids `process.env` elsewhere). Parsed once per instance. A bad value does not crash the instance:
 * every invocation answers 500 `ConfigurationInvalid` naming the variable and the rule it broke, never its value.
 */
import * as z from 'zod/mini';
import { type ConfigProblem, type Env, integerVar, type LogLevel, logLevelVar, problemsOf, variable } from '../shared/env';

const POOL_KEY_OR_PRODUCT = /^(FC\d{1,40}|AXB_170|AXN_170|AXN_95|AXN_EXTENSION_REUSE)$/;

const ORIGIN_RULE =
  'must be an http:// or https:// origin (scheme, host, optional port 1-65535) without user, path, query or fragment, e.g. https://dyplsapi.aliyuncs.com';

/**
 * `scheme://host[:port]`, nothing else: written out character by character (a backslash, a NUL or an `@` would
 * make URL parsers disagree about the host), and equal to what the URL parser makes of it.
 */
function canonicalOrigin(value: string): string | undefined {
  const m =
    /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::(\d{1,5}))?\/?$/.exec(value);
  if (!m) return undefined;
  const port = m[3];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return undefined;
  try {
    const url = new URL(value);
    const origin = `${m[1] ?? ''}://${m[2] ?? ''}${port !== undefined ? `:${port}` : ''}`.toLowerCase();
    // The parser drops a default port (:443 on https): compare without it.
    return url.origin === origin || url.origin === origin.replace(/:(80|443)$/, '') ? origin : undefined;
  } catch {
    return undefined;
  }
}

const PHONE_NUMBER_OUTPUTS = ['full', 'masked'] as const;
export type PhoneNumberOutput = (typeof PHONE_NUMBER_OUTPUTS)[number];

const functionEnvSchema = z.object({
  DYPLS_ENDPOINT: variable(
    z.pipe(
      z.string(),
      z.transform((v: string, ctx) => {
        const origin = canonicalOrigin(v);
        if (origin === undefined) {
          ctx.issues.push({ code: 'custom', message: ORIGIN_RULE, input: v });
          return z.NEVER;
        }
        return origin;
      }),
    ),
    'https://dyplsapi.aliyuncs.com',
  ),
  DYPLS_TIMEOUT_MS: integerVar(100, 60_000, 3000),
  DYPLS_MAX_ATTEMPTS: integerVar(1, 5, 3),
  FIND_MAX_BINDINGS: integerVar(1, 100, 20),
  FIND_CONCURRENCY: integerVar(1, 16, 4),
  // A find's requests per second per instance (QuerySubsId, each detail, every retry); 0 lifts the limit.
  FIND_MAX_RPS: integerVar(0, 1000, 50),
  BATCH_CONCURRENCY: integerVar(1, 32, 8),
  // A batch's requests per second per instance, retries included; 0 lifts the limit. instances × the larger of
  // this and FIND_MAX_RPS ≤ the share of the account's 1000/s given to this function.
  BATCH_MAX_RPS: integerVar(0, 1000, 50),
  LOG_LEVEL: logLevelVar,
  // `masked` answers phoneNoA/phoneNoB as 150****0000, for callers that need whether and until when, not to whom.
  PHONE_NUMBER_OUTPUT: variable<PhoneNumberOutput>(z.enum(PHONE_NUMBER_OUTPUTS, { error: 'must be full or masked' }), 'full'),
  ALLOWED_POOL_KEYS: variable<ReadonlySet<string> | undefined>(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((v: string) =>
          v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        ),
      ),
      z.pipe(
        z.array(z.string().check(z.regex(POOL_KEY_OR_PRODUCT, { error: 'must be a comma list of pool keys (FC followed by digits) or product types' }))),
        z.transform((list: string[]) => (list.length > 0 ? new Set(list) : undefined)),
      ),
    ),
    undefined,
  ),
});

/** The variables this function reads; s.yaml may set these and no others (checked by test/unit/s-yaml.test.ts). */
export const FUNCTION_ENV_KEYS = Object.keys(functionEnvSchema.shape) as readonly (keyof typeof functionEnvSchema.shape)[];

export interface FunctionConfig {
  /** Dyplsapi origin, no trailing slash. */
  endpoint: string;
  /** Per-attempt connect+read timeout for one upstream call. */
  timeoutMs: number;
  /** Upstream attempts per lookup, retries included. */
  maxAttempts: number;
  /** A find looks up at most this many of the SubsIds X has, this many at a time. */
  findMaxBindings: number;
  findConcurrency: number;
  /** A find sends at most this many requests per second, retries included (0: no limit). */
  findMaxRps: number;
  /** A batch runs at most this many lookups at a time, and sends at most this many requests per second, retries included (0: no limit). */
  batchConcurrency: number;
  batchMaxRps: number;
  logLevel: LogLevel;
  /** Whether answers carry A and B in full or masked. */
  phoneNumberOutput: PhoneNumberOutput;
  /** When set, only these pool keys / product types may be queried. */
  allowedPoolKeys: ReadonlySet<string> | undefined;
}

export type ConfigResult = { ok: true; config: FunctionConfig } | { ok: false; problems: ConfigProblem[]; logLevel: LogLevel };

/** Parses the function's settings from an environment map. Pure: tests pass their own map. */
export function parseFunctionConfig(env: Env): ConfigResult {
  const parsed = functionEnvSchema.safeParse(env);
  if (parsed.success) {
    const d = parsed.data;
    return {
      ok: true,
      config: {
        endpoint: d.DYPLS_ENDPOINT,
        timeoutMs: d.DYPLS_TIMEOUT_MS,
        maxAttempts: d.DYPLS_MAX_ATTEMPTS,
        findMaxBindings: d.FIND_MAX_BINDINGS,
        findConcurrency: d.FIND_CONCURRENCY,
        findMaxRps: d.FIND_MAX_RPS,
        batchConcurrency: d.BATCH_CONCURRENCY,
        batchMaxRps: d.BATCH_MAX_RPS,
        logLevel: d.LOG_LEVEL,
        phoneNumberOutput: d.PHONE_NUMBER_OUTPUT,
        allowedPoolKeys: d.ALLOWED_POOL_KEYS,
      },
    };
  }
  // Still honour a valid LOG_LEVEL so the one "configuration invalid" line is written at the right verbosity.
  const level = logLevelVar.safeParse(env.LOG_LEVEL);
  return { ok: false, problems: problemsOf(parsed.error.issues), logLevel: level.success ? level.data : 'info' };
}

/** The function's settings from `process.env`, read once by the entry point (FC sets them before loading the code). */
export function loadFunctionConfig(): ConfigResult {
  return parseFunctionConfig(process.env);
}
