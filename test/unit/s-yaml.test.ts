/**
 * s.yaml is checked statically (`s` needs Alibaba Cloud and Docker): it must deploy what `npm run build` produces.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CALLER_ENV_KEYS } from '../../lib/caller/config';
import { FUNCTION_ENV_KEYS } from '../../lib/query/config';
import { BUILD_TARGET, FUNCTIONS } from '../../scripts/build.mjs';

interface Fc3Props {
  functionName: string;
  runtime: string;
  code: string;
  handler: string;
  role: string;
  timeout: number;
  environmentVariables: Record<string, string>;
  logConfig: unknown;
  concurrencyConfig?: { reservedConcurrency: unknown };
  triggers: { triggerType: string; triggerConfig: { authType: string; methods: string[] } }[];
}
interface SYaml {
  edition: string;
  vars: Record<string, unknown>;
  resources: Record<string, { component: string; actions?: Record<string, { run?: string }[]>; props: Fc3Props }>;
}

const s = parse(readFileSync('s.yaml', 'utf8')) as SYaml;
const query = s.resources.query;

/** Resolves `${vars.name}` the way `s` does for plain variables. */
function resolved(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^\$\{vars\.(\w+)\}$/.exec(value);
  if (whole?.[1]) return s.vars[whole[1]];
  return value.replace(/\$\{vars\.(\w+)\}/g, (_m, name: string) => String(s.vars[name]));
}

describe('s.yaml', () => {
  it('uses Serverless Devs 3 with the fc3 component', () => {
    expect(s.edition).toBe('3.0.0');
    expect(query?.component).toBe('fc3');
  });

  it('deploys, for each function, the bundle folder the build wrote, whose file exports the named handler', () => {
    // Prepare: the global setup has built every bundle.
    const req = createRequire(import.meta.url);
    for (const resource of Object.values(s.resources)) {
      const { code, handler, runtime } = resource.props;
      const [file, exported] = handler.split('.');
      // Act: load the built file as FC would, from the code folder.
      const mod = req(resolve(code, `${file}.js`)) as Record<string, unknown>;
      // Assess
      expect(FUNCTIONS.map((n) => `./dist/${n}`)).toContain(code);
      expect(typeof mod[exported ?? ''], `${code}/${file}.js exports ${exported}`).toBe('function');
      expect(runtime).toBe(`nodejs${BUILD_TARGET.replace('node', '')}`);
    }
  });

  it('builds before every deploy', () => {
    expect(query?.actions?.['pre-deploy']?.[0]?.run).toBe('npm ci && npm run build');
  });

  it('runs with a RAM role and logs to SLS', () => {
    expect(resolved(query?.props.role)).toMatch(/^acs:ram::\$\{config\('AccountID'\)\}:role\/[\w-]+$/);
    expect(query?.props.logConfig).toBe('auto');
  });

  it('passes only settings the function reads, and no AccessKey', () => {
    const names = Object.keys(query?.props.environmentVariables ?? {});
    expect(names.filter((n) => !(FUNCTION_ENV_KEYS as readonly string[]).includes(n))).toEqual([]);
    expect(JSON.stringify(query?.props.environmentVariables)).not.toMatch(/ACCESS_KEY|SECRET|TOKEN/i);
  });

  it('leaves the function timeout room for the upstream timeout and retries', () => {
    const timeoutMs = Number(query?.props.environmentVariables.DYPLS_TIMEOUT_MS);
    expect((query?.props.timeout ?? 0) * 1000).toBeGreaterThan(timeoutMs * 2);
  });

  it('has an HTTP trigger with function auth for GET and POST', () => {
    const trigger = query?.props.triggers.find((t) => t.triggerType === 'http');
    expect(trigger?.triggerConfig.authType).toBe('function');
    expect(trigger?.triggerConfig.methods).toEqual(['GET', 'POST']);
  });

  it('deploys the example caller from its own bundle, with its own role, pointed at the query function', () => {
    const caller = s.resources['status-check'];
    expect(FUNCTIONS).toContain('binding-status-check');
    expect(caller?.component).toBe('fc3');
    expect(caller?.props.code).toBe('./dist/binding-status-check');
    expect(caller?.props.handler).toBe('index.handler');
    expect(caller?.props.runtime).toBe('nodejs20');
    expect(resolved(caller?.props.role)).toMatch(/role\/dypls-status-check-role$/);
    expect(resolved(caller?.props.environmentVariables.TARGET_FUNCTION_NAME)).toBe(resolved(query?.props.functionName));
    expect((caller?.props.timeout ?? 0) * 1000).toBeGreaterThan(Number(caller?.props.environmentVariables.FC_INVOKE_TIMEOUT_MS));
    const names = Object.keys(caller?.props.environmentVariables ?? {});
    expect(names.filter((n) => !(CALLER_ENV_KEYS as readonly string[]).includes(n))).toEqual([]);
  });

  it('caps concurrency with a variable', () => {
    expect(query?.props.concurrencyConfig?.reservedConcurrency).toBe('${vars.reservedConcurrency}');
    expect(resolved(query?.props.concurrencyConfig?.reservedConcurrency)).toBeGreaterThan(0);
  });
});
