/**
 * Settings of the dev tools (`npm start`, `npm run invoke`, the soak and the bench), and loading a bundle with
 * the variables FC would set. Never part of a deployed bundle.
 */
import * as z from 'zod/mini';
import { type Env, integerVar, optionalText, problemsOf, variable } from '../shared/env';

const devEnvSchema = z.object({
  PORT: integerVar(0, 65_535, 9000),
  HOST: variable(z.string(), '127.0.0.1'),
  DYPLS_UPSTREAM: variable<string | undefined>(z.string().check(z.regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL' })), undefined),
  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalText,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalText,
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalText,
});

export type DevEnv = z.infer<typeof devEnvSchema>;

/** Settings for the local gateway and the invoke tool; throws a readable error naming the bad variables. */
export function loadDevEnv(env: Env = process.env): DevEnv {
  const parsed = devEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = problemsOf(parsed.error.issues).map((p) => `${p.variable}: ${p.rule}`);
    throw new Error(`Invalid environment for the dev tools:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Runs `load` with the function's variables set in `process.env`, as FC sets them before the runtime loads the
 * code: the dev tools load the built bundle, which reads its configuration at load.
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
