/**
 * Settings of a caller function built on this library (the example in functions/binding-status-check reads
 * them). Parsed here, never by the query function, so its bundle holds none of them.
 */
import * as z from 'zod/mini';
import { booleanVar, type ConfigProblem, type Env, integerVar, logLevelVar, problemsOf, variable } from '../../lib/shared/env';

const callerEnvSchema = z.object({
  TARGET_FUNCTION_NAME: variable(z.string().check(z.regex(/^[A-Za-z_][\w$-]{0,127}$/, { error: 'must be a function name' })), 'query-subscription-detail'),
  TARGET_QUALIFIER: variable<string | undefined>(z.string().check(z.regex(/^[\w-]{1,128}$/, { error: 'must be a version or alias name' })), undefined),
  TARGET_SERVICE_NAME: variable<string | undefined>(
    z.string().check(z.regex(/^[A-Za-z_][\w-]{0,127}$/, { error: 'must be an FC 2.0 service name' })),
    undefined,
  ),
  INVOKE_ENDPOINT: variable<string | undefined>(z.string().check(z.regex(/^https?:\/\/[^\s/?#]+$/, { error: 'must be an http(s) origin' })), undefined),
  INVOKE_TIMEOUT_MS: integerVar(100, 600_000, 10_000),
  // The -internal endpoint suits same-region calls; set false where the function cannot reach it.
  INVOKE_INTERNAL: booleanVar(true),
  LOG_LEVEL: logLevelVar,
});

/** The variables a caller function reads (checked against s.yaml). */
export const CALLER_ENV_KEYS = Object.keys(callerEnvSchema.shape) as readonly (keyof typeof callerEnvSchema.shape)[];

export type CallerConfig = z.infer<typeof callerEnvSchema>;

export type CallerConfigResult = { ok: true; config: CallerConfig } | { ok: false; problems: ConfigProblem[] };

/** The caller function's settings; problems are reported as for the query function. Pure. */
export function parseCallerConfig(env: Env): CallerConfigResult {
  const parsed = callerEnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: problemsOf(parsed.error.issues) };
}

/** From `process.env`, read once by the caller function's entry point. */
export function loadCallerConfig(): CallerConfigResult {
  return parseCallerConfig(process.env);
}
