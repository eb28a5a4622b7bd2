/**
 * What Serverless Devs 3, the fc3 component and Function Compute 3.0 accept, for the static deploy check in
 * test/unit/s-yaml.test.ts (`s` itself needs Alibaba Cloud and Docker, so tests never run it). Each rule names
 * its source.
 */
import { parse } from 'yaml';

/** devsapp/fc3 `src/schema.json`, `IRuntime` (the Node runtimes it knows stop at nodejs20). */
export const FC3_RUNTIMES = ['nodejs8', 'nodejs10', 'nodejs12', 'nodejs14', 'nodejs16', 'nodejs18', 'nodejs20'] as const;
/** devsapp/fc3 `src/schema.json`: `memorySize` integer, multipleOf 64, 128 to 32768. */
export const MEMORY = { min: 128, max: 32_768, multipleOf: 64 } as const;
/** devsapp/fc3 `src/schema.json`: `timeout` integer, 1 to 86400 seconds. */
export const TIMEOUT_S = { min: 1, max: 86_400 } as const;
/** devsapp/fc3 `src/schema.json`: `ITriggerType`, `IHttpTriggerConfig.authType` and `.methods`. */
export const TRIGGER_TYPES = ['cdn_events', 'eventbridge', 'http', 'log', 'mns_topic', 'oss', 'tablestore', 'timer'] as const;
export const HTTP_AUTH_TYPES = ['anonymous', 'function', 'jwt'] as const;
export const HTTP_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
/**
 * Function Compute, "Environment variables": names start with a letter and hold letters, digits and `_`; the
 * `FC_` prefix is reserved for the platform; all variables together at most 4 KB.
 */
export const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
export const RESERVED_ENV_PREFIX = 'FC_';
export const ENV_TOTAL_BYTES = 4096;
/**
 * Function Compute, "Configure the maximum number of on-demand instances": the current page gives 300 instances
 * per region by default (older pages said 100), of which one function may reserve at most 90%. s.yaml's cap
 * stays far below either figure.
 */
export const DEFAULT_REGION_QUOTA = 300;
export const MAX_RESERVED = Math.floor(DEFAULT_REGION_QUOTA * 0.9);

/**
 * devsapp/fc3: `logConfig` is an `ILogConfig` object (`src/schema.json`) or `auto`, optionally with overrides
 * `auto|key=value|…` (`parseAutoConfig` in `src/utils/index.ts`); with `auto`, `logBeginRule` defaults to
 * `DefaultRegex` (`src/subCommands/deploy/impl/function.ts`), which glues lines that do not start with a date.
 */
export function logBeginRuleOf(logConfig: unknown): string | undefined {
  if (typeof logConfig === 'string') {
    const [base, ...overrides] = logConfig.split('|');
    if (base?.toUpperCase() !== 'AUTO') return undefined;
    const params = Object.fromEntries(overrides.map((p) => p.split('=').map((x) => x.trim())));
    return (params as Record<string, string>).logBeginRule ?? 'DefaultRegex';
  }
  if (typeof logConfig === 'object' && logConfig !== null) return (logConfig as { logBeginRule?: string }).logBeginRule ?? 'DefaultRegex';
  return undefined;
}

export interface Fc3Props {
  region: string;
  functionName: string;
  runtime: string;
  code: string;
  handler: string;
  role: string;
  memorySize: number;
  timeout: number;
  environmentVariables?: Record<string, unknown>;
  logConfig?: unknown;
  concurrencyConfig?: { reservedConcurrency: unknown };
  triggers?: { triggerName: string; triggerType: string; qualifier?: string; triggerConfig: { authType?: string; methods?: string[] } }[];
}
export interface SYaml {
  edition: string;
  vars: Record<string, unknown>;
  actions?: Record<string, { run?: string; path?: string }[]>;
  resources: Record<string, { component: string; actions?: Record<string, { run?: string }[]>; props: Fc3Props }>;
}

/**
 * s.yaml with `${vars.name}` resolved as `s` does it (a whole-value reference keeps the variable's type).
 * Any other `${…}` (config(), env(), file()) makes this throw: the file must need nothing from the access
 * alias or the machine at parse time.
 */
export function loadResolved(text: string): SYaml {
  const raw = parse(text) as SYaml;
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\$\{vars\.(\w+)\}$/.exec(value);
      if (whole?.[1] !== undefined) {
        if (!(whole[1] in raw.vars)) throw new Error(`unknown variable ${value}`);
        return raw.vars[whole[1]];
      }
      const replaced = value.replace(/\$\{vars\.(\w+)\}/g, (_m, name: string) => String(raw.vars[name]));
      if (replaced.includes('${')) throw new Error(`unresolvable ${replaced}`);
      return replaced;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return { ...raw, resources: resolve(raw.resources) as SYaml['resources'], actions: resolve(raw.actions) as SYaml['actions'] };
}

/** A RAM policy document (RAM "Policy structure and syntax"). */
export interface RamPolicy {
  Version: string;
  Statement: { Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: unknown }[];
}

export function actionsOf(policy: RamPolicy): string[] {
  return policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

export function resourcesFor(policy: RamPolicy, action: string): string[] {
  return policy.Statement.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action)).flatMap((s) =>
    s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource],
  );
}

/**
 * The resource forms FC 3.0 evaluates each deploy-time action against (the "RAM authorization" table of each
 * 2023-03-30 API page, and fc3's docs for trigger ARNs):
 * - all resources (`*`): CreateFunction (the function does not exist yet), GetTempBucketToken;
 * - a trigger: `acs:fc:<region>:<account>:functions/<fn>/triggers/<trigger>`;
 * - a function: `acs:fc:<region>:<account>:functions/<fn>` for everything else fc3 calls on a function.
 * InvokeFunction's page says "all resources"; whether a function-scoped grant is honoured is not settled by
 * the sources (README "Deploy" shows the wider grant to use if the narrow one is denied), so both are accepted.
 */
export const FC_ALL_RESOURCES_ACTIONS: readonly string[] = ['fc:CreateFunction', 'fc:GetTempBucketToken'];
export const FC_TRIGGER_ACTIONS: readonly string[] = ['fc:GetTrigger', 'fc:CreateTrigger', 'fc:UpdateTrigger', 'fc:DeleteTrigger'];
const FC_EITHER_ACTIONS: readonly string[] = ['fc:InvokeFunction'];
const FUNCTION_ARN = /^acs:fc:[a-z0-9-]+:(\*|\d+):functions\/[A-Za-z_][\w-]*$/;
const TRIGGER_ARN = /^acs:fc:[a-z0-9-]+:(\*|\d+):functions\/[A-Za-z_][\w-]*\/triggers\/[A-Za-z_][\w-]*$/;

/** Every `fc:` grant of a policy whose resource FC 3.0 would not match for its action, as `action on resource`. */
export function fcResourceViolations(policy: RamPolicy): string[] {
  const out: string[] = [];
  for (const st of policy.Statement) {
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    const resources = st.Resource === undefined ? [] : Array.isArray(st.Resource) ? st.Resource : [st.Resource];
    for (const action of actions.filter((a) => a.startsWith('fc:'))) {
      for (const r of resources) {
        const ok = FC_ALL_RESOURCES_ACTIONS.includes(action)
          ? r === '*'
          : FC_TRIGGER_ACTIONS.includes(action)
            ? TRIGGER_ARN.test(r)
            : FC_EITHER_ACTIONS.includes(action)
              ? r === '*' || FUNCTION_ARN.test(r)
              : FUNCTION_ARN.test(r);
        if (!ok) out.push(`${action} on ${r}`);
      }
    }
  }
  return out;
}
