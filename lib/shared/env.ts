/**
 * Building blocks for the environment schemas of each function and of the dev tools. Each side parses its own
 * variables with its own schema (lib/query/config.ts, functions/binding-status-check/config.ts, lib/dev/env.ts), so a bundle only
 * builds the schema it reads. Nothing here reads `process.env`.
 */
import * as z from 'zod/mini';

export type Env = Readonly<Record<string, string | undefined>>;

/** Trimmed; empty counts as unset, as in t3-env's `emptyStringAsUndefined`: `FOO=` in s.yaml means "use the default". */
export const optionalText = z.optional(
  z.pipe(
    z.string(),
    z.transform((v: string) => (v.trim() === '' ? undefined : v.trim())),
  ),
);

/** An optional variable: unset or blank gives `fallback`, anything else must pass `inner`. */
export function variable<T>(inner: z.ZodMiniType<T, string>, fallback: T) {
  return z.pipe(
    optionalText,
    z.pipe(
      z.optional(inner),
      z.transform((v: T | undefined): T => (v === undefined ? fallback : v)),
    ),
  );
}

export function integerVar(min: number, max: number, fallback: number) {
  const rule = `must be a whole number from ${min} to ${max}`;
  return variable(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,9}$/, { error: rule })), z.transform(Number)),
      z.number().check(z.minimum(min, { error: rule }), z.maximum(max, { error: rule })),
    ),
    fallback,
  );
}

export function booleanVar(fallback: boolean) {
  return variable<boolean>(
    z.pipe(
      z.string().check(z.regex(/^(true|false)$/, { error: 'must be true or false' })),
      z.transform((v: string) => v === 'true'),
    ),
    fallback,
  );
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logLevelVar = variable(
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((v: string) => v.toLowerCase()),
    ),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  ),
  'info',
);

/** A variable that broke its rule; never carries the value (a misplaced secret must not echo back). */
export interface ConfigProblem {
  variable: string;
  rule: string;
}

/** One problem per variable (a list can fail on several entries; the rule is the same), naming it, never its value. */
export function problemsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ConfigProblem[] {
  const byVariable = new Map(issues.map((issue) => [String(issue.path[0] ?? 'environment'), issue.message]));
  return [...byVariable].map(([name, rule]) => ({ variable: name, rule }));
}
