/**
 * The one place that reads environment variables (lint forbids `process.env` elsewhere).
 *
 * The function's settings are parsed once per instance. A bad value does not crash the instance:
 * every invocation answers 500 `ConfigurationInvalid` naming the variable and the rule it broke,
 * never its value (a misplaced secret must not echo back).
 */
import * as z from 'zod/mini';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Trimmed; empty counts as unset, as in t3-env's `emptyStringAsUndefined`: `FOO=` in s.yaml means "use the default". */
const optionalText = z.optional(z.pipe(z.string(), z.transform((v: string) => (v.trim() === '' ? undefined : v.trim()))));

/** An optional variable: unset or blank gives `fallback`, anything else must pass `inner`. */
function variable<T>(inner: z.ZodMiniType<T, string>, fallback: T) {
  return z.pipe(optionalText, z.pipe(z.optional(inner), z.transform((v: T | undefined): T => (v === undefined ? fallback : v))));
}

function integerVar(min: number, max: number, fallback: number) {
  const rule = `must be a whole number from ${min} to ${max}`;
  return variable(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,9}$/, { error: rule })), z.transform(Number)),
      z.number().check(z.minimum(min, { error: rule }), z.maximum(max, { error: rule })),
    ),
    fallback,
  );
}

const POOL_KEY_OR_PRODUCT = /^(FC\d{1,40}|AXB_170|AXN_170|AXN_95|AXN_EXTENSION_REUSE)$/;

const functionEnvSchema = z.object({
  DYPLS_ENDPOINT: variable(
    z.pipe(
      z.string().check(
        z.regex(/^https?:\/\/[^\s/?#]+\/?$/, {
          error: 'must be an http:// or https:// origin without path, query or spaces, e.g. https://dyplsapi.aliyuncs.com',
        }),
      ),
      z.transform((v: string) => v.replace(/\/$/, '')),
    ),
    'https://dyplsapi.aliyuncs.com',
  ),
  DYPLS_TIMEOUT_MS: integerVar(100, 60_000, 3000),
  DYPLS_MAX_ATTEMPTS: integerVar(1, 5, 3),
  LOG_LEVEL: variable(
    z.pipe(
      z.pipe(z.string(), z.transform((v: string) => v.toLowerCase())),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    ),
    'info' as LogLevel,
  ),
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

export interface FunctionConfig {
  /** Dyplsapi origin, no trailing slash. */
  endpoint: string;
  /** Per-attempt connect+read timeout for one upstream call. */
  timeoutMs: number;
  /** Upstream attempts per invocation, retries included. */
  maxAttempts: number;
  logLevel: LogLevel;
  /** When set, only these pool keys / product types may be queried. */
  allowedPoolKeys: ReadonlySet<string> | undefined;
}

/** A variable that broke its rule; never carries the value. */
export interface ConfigProblem {
  variable: string;
  rule: string;
}

export type ConfigResult = { ok: true; config: FunctionConfig } | { ok: false; problems: ConfigProblem[]; logLevel: LogLevel };

type Env = Readonly<Record<string, string | undefined>>;

/** One problem per variable (a list can fail on several entries; the rule is the same), naming it, never its value. */
function problemsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ConfigProblem[] {
  const byVariable = new Map(issues.map((issue) => [String(issue.path[0] ?? 'environment'), issue.message]));
  return [...byVariable].map(([variable, rule]) => ({ variable, rule }));
}

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
        logLevel: d.LOG_LEVEL,
        allowedPoolKeys: d.ALLOWED_POOL_KEYS,
      },
    };
  }
  const problems = problemsOf(parsed.error.issues);
  // Still honour a valid LOG_LEVEL so the one "configuration invalid" line is written at the right verbosity.
  const level = functionEnvSchema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL);
  return { ok: false, problems, logLevel: level.success ? level.data : 'info' };
}

let cached: ConfigResult | undefined;

/** The function's settings from `process.env`, parsed on first use and kept for the instance's lifetime. */
export function loadFunctionConfig(): ConfigResult {
  cached ??= parseFunctionConfig(process.env);
  return cached;
}

/* ------------------------------------------------------------------------------------------------
 * Settings of the example caller function (functions/binding-status-check).
 * ---------------------------------------------------------------------------------------------- */

const callerEnvSchema = z.object({
  TARGET_FUNCTION_NAME: variable(z.string().check(z.regex(/^[A-Za-z_][\w$-]{0,127}$/, { error: 'must be a function name' })), 'query-subscription-detail'),
  TARGET_QUALIFIER: variable<string | undefined>(z.string().check(z.regex(/^[\w-]{1,128}$/, { error: 'must be a version or alias name' })), undefined),
  TARGET_SERVICE_NAME: variable<string | undefined>(z.string().check(z.regex(/^[A-Za-z_][\w-]{0,127}$/, { error: 'must be an FC 2.0 service name' })), undefined),
  FC_INVOKE_ENDPOINT: variable<string | undefined>(z.string().check(z.regex(/^https?:\/\/[^\s/?#]+$/, { error: 'must be an http(s) origin' })), undefined),
  FC_INVOKE_TIMEOUT_MS: integerVar(100, 600_000, 10_000),
  // The -internal endpoint suits same-region calls; set false where the function cannot reach it.
  FC_INVOKE_INTERNAL: variable<boolean>(
    z.pipe(z.string().check(z.regex(/^(true|false)$/, { error: 'must be true or false' })), z.transform((v: string) => v === 'true')),
    true,
  ),
  LOG_LEVEL: functionEnvSchema.shape.LOG_LEVEL,
});

export type CallerConfig = z.infer<typeof callerEnvSchema>;

/** The caller function's settings; problems are reported as for the query function. */
export function parseCallerConfig(env: Env): { ok: true; config: CallerConfig } | { ok: false; problems: ConfigProblem[] } {
  const parsed = callerEnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: problemsOf(parsed.error.issues) };
}

let cachedCaller: ReturnType<typeof parseCallerConfig> | undefined;

export function loadCallerConfig(): ReturnType<typeof parseCallerConfig> {
  cachedCaller ??= parseCallerConfig(process.env);
  return cachedCaller;
}

/* ------------------------------------------------------------------------------------------------
 * Settings of the local tools (`npm start`, `npm run invoke`). They never reach the deployed bundle:
 * the handler imports only the function part above.
 * ---------------------------------------------------------------------------------------------- */

const localEnvSchema = z.object({
  PORT: integerVar(0, 65_535, 9000),
  HOST: variable(z.string(), '127.0.0.1'),
  DYPLS_UPSTREAM: variable<string | undefined>(z.string().check(z.regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL' })), undefined),
  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalText,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalText,
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalText,
});

export type LocalEnv = z.infer<typeof localEnvSchema>;

/** Settings for the local gateway and invoke tool; throws a readable error naming the bad variables. */
export function loadLocalEnv(env: Env = process.env): LocalEnv {
  const parsed = localEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = problemsOf(parsed.error.issues).map((p) => `${p.variable}: ${p.rule}`);
    throw new Error(`Invalid environment for the local tools:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}


/**
 * Runs `load` with the function's variables set in `process.env`, as FC sets them before the runtime loads
 * the code. Only the local tools use it, to load the built bundle (which reads its configuration at load).
 */
export function withFunctionEnv<T>(vars: Readonly<Record<string, string>>, load: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return load();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
