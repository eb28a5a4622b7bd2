/**
 * The static deploy check: s.yaml, with its variables resolved as `s` resolves them, against what the fc3
 * component accepts and what Function Compute allows (rules and their sources in test/support/deploy-rules.ts),
 * against the bundles the build wrote and the variables each function reads; and the RAM policies in ram/
 * against the actions the code uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALLER_ENV_KEYS } from '../../functions/binding-status-check/config';
import { FUNCTION_ENV_KEYS } from '../../lib/query/config';
import { DYPLS_ACTIONS } from '../../lib/query/upstream';
import { BUILD_TARGET, FUNCTIONS } from '../../scripts/build.mjs';
import {
  actionsOf,
  ENV_NAME,
  ENV_TOTAL_BYTES,
  FC3_RUNTIMES,
  fcResourceViolations,
  HTTP_AUTH_TYPES,
  HTTP_METHODS,
  loadResolved,
  logBeginRuleOf,
  MAX_RESERVED,
  MEMORY,
  type RamPolicy,
  RESERVED_ENV_PREFIX,
  resourcesFor,
  TIMEOUT_S,
  TRIGGER_TYPES,
} from '../support/deploy-rules';

const text = readFileSync('s.yaml', 'utf8');
const s = loadResolved(text);
const resources = Object.entries(s.resources);
const query = s.resources.query;
const caller = s.resources['status-check'];
const ENV_KEYS: Record<string, readonly string[]> = { query: FUNCTION_ENV_KEYS, 'status-check': CALLER_ENV_KEYS };

describe('s.yaml, as the fc3 component and Function Compute take it', () => {
  it('uses Serverless Devs 3 with the fc3 component for every resource', () => {
    expect(s.edition).toBe('3.0.0');
    expect(resources.map(([, r]) => r.component)).toEqual(resources.map(() => 'fc3'));
  });

  it('needs nothing from the access alias or the machine to be parsed', () => {
    expect(text).not.toMatch(/\$\{(config|env|file)\(/);
  });

  it.each(resources.map(([key, r]) => ({ key, props: r.props })))('$key: runtime, memory and timeout within the limits', ({ props }) => {
    expect(FC3_RUNTIMES).toContain(props.runtime);
    expect(Number.isInteger(props.memorySize) && props.memorySize % MEMORY.multipleOf === 0).toBe(true);
    expect(props.memorySize).toBeGreaterThanOrEqual(MEMORY.min);
    expect(props.memorySize).toBeLessThanOrEqual(MEMORY.max);
    expect(Number.isInteger(props.timeout) && props.timeout >= TIMEOUT_S.min && props.timeout <= TIMEOUT_S.max).toBe(true);
  });

  it.each(resources.map(([key, r]) => ({ key, props: r.props })))(
    '$key: environment names valid, none reserved, within 4 KB, all read by the function',
    ({ key, props }) => {
      const env = props.environmentVariables ?? {};
      const names = Object.keys(env);
      expect(names.filter((n) => !ENV_NAME.test(n) || n.startsWith(RESERVED_ENV_PREFIX))).toEqual([]);
      expect(Object.values(env).every((v) => typeof v === 'string')).toBe(true);
      expect(Buffer.byteLength(names.map((n) => `${n}=${String(env[n])}`).join(''))).toBeLessThanOrEqual(ENV_TOTAL_BYTES);
      expect(names.filter((n) => !(ENV_KEYS[key] ?? []).includes(n))).toEqual([]);
      expect(JSON.stringify(env)).not.toMatch(/ACCESS_KEY|SECRET|TOKEN/i);
    },
  );

  it('reads no variable in the platform-reserved FC_ namespace', () => {
    expect([...FUNCTION_ENV_KEYS, ...CALLER_ENV_KEYS].filter((n) => n.startsWith(RESERVED_ENV_PREFIX))).toEqual([]);
  });

  it.each(resources.map(([key, r]) => ({ key, props: r.props })))('$key: one SLS entry per JSON line (no DefaultRegex begin rule)', ({ props }) => {
    expect(logBeginRuleOf(props.logConfig)).toBe('None');
  });

  it.each(resources.map(([key, r]) => ({ key, props: r.props })))('$key: a role by bare name, which fc3 completes into its ARN', ({ props }) => {
    expect(props.role).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });

  it('caps concurrency within what a fresh account accepts', () => {
    const reserved = query?.props.concurrencyConfig?.reservedConcurrency;
    expect(typeof reserved).toBe('number');
    expect(reserved as number).toBeGreaterThan(0);
    expect(reserved as number).toBeLessThanOrEqual(MAX_RESERVED);
  });

  it('has an HTTP trigger with function auth for GET and POST, valid for fc3', () => {
    for (const trigger of query?.props.triggers ?? []) {
      expect(TRIGGER_TYPES).toContain(trigger.triggerType);
      if (trigger.triggerType !== 'http') continue;
      expect(HTTP_AUTH_TYPES).toContain(trigger.triggerConfig.authType);
      expect((trigger.triggerConfig.methods ?? []).every((m) => (HTTP_METHODS as readonly string[]).includes(m))).toBe(true);
    }
    const http = query?.props.triggers?.find((t) => t.triggerType === 'http');
    expect(http?.triggerConfig.authType).toBe('function');
    expect(http?.triggerConfig.methods).toEqual(['GET', 'POST']);
  });

  it('deploys, for each function, the bundle folder the build wrote, whose file exports the named handler', () => {
    // Prepare: the global setup has built every bundle.
    const req = createRequire(import.meta.url);
    for (const [, resource] of resources) {
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

  it('builds once per deploy, without reinstalling what `npx s` runs from', () => {
    const steps = [...(s.actions?.['pre-deploy'] ?? []), ...resources.flatMap(([, r]) => r.actions?.['pre-deploy'] ?? [])];
    expect(steps.map((st) => st.run)).toEqual(['npm run build']);
  });

  it('leaves the function timeout room for the upstream timeout and retries', () => {
    const timeoutMs = Number(query?.props.environmentVariables?.DYPLS_TIMEOUT_MS);
    expect((query?.props.timeout ?? 0) * 1000).toBeGreaterThan(timeoutMs * 2);
  });

  it('points the example caller at the query function, with an invoke timeout inside its own', () => {
    expect(caller?.props.environmentVariables?.TARGET_FUNCTION_NAME).toBe(query?.props.functionName);
    expect((caller?.props.timeout ?? 0) * 1000).toBeGreaterThan(Number(caller?.props.environmentVariables?.INVOKE_TIMEOUT_MS));
  });
});

describe('the RAM policies in ram/', () => {
  const policy = (name: string) => JSON.parse(readFileSync(`ram/${name}.json`, 'utf8')) as RamPolicy;

  it('are valid policy documents', () => {
    for (const file of readdirSync('ram')) {
      const p = JSON.parse(readFileSync(`ram/${file}`, 'utf8')) as RamPolicy;
      expect(p.Version, file).toBe('1');
      for (const st of p.Statement) {
        expect(['Allow', 'Deny'], file).toContain(st.Effect);
        expect(
          actionsOf({ Version: '1', Statement: [st] }).every((a) => /^[a-z]+:[A-Za-z*]+$/.test(a)),
          file,
        ).toBe(true);
      }
    }
  });

  it('let Function Compute assume the roles', () => {
    expect(policy('trust-policy').Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }]);
  });

  it("give the query function's role exactly the Dyplsapi actions the code calls, and its logs", () => {
    const p = policy('query-function-role');
    expect(
      actionsOf(p)
        .filter((a) => a.startsWith('dypls:'))
        .sort(),
    ).toEqual(DYPLS_ACTIONS.map((a) => `dypls:${a}`).sort());
    expect(resourcesFor(p, 'log:PostLogStoreLogs')).toEqual(['acs:log:*:*:project/serverless-*/logstore/default-logs']);
    expect(actionsOf(p).filter((a) => !a.startsWith('dypls:') && a !== 'log:PostLogStoreLogs')).toEqual([]);
  });

  it("give the example caller's role fc:InvokeFunction on the query function's ARN only, and its logs", () => {
    const p = policy('status-check-role');
    expect(resourcesFor(p, 'fc:InvokeFunction')).toEqual([`acs:fc:${query?.props.region}:*:functions/${query?.props.functionName}`]);
    expect(actionsOf(p).sort()).toEqual(['fc:InvokeFunction', 'log:PostLogStoreLogs']);
  });

  it("give the operators (the command line's users) fc:InvokeFunction on the query function's ARN and nothing else", () => {
    const p = policy('operator');
    expect(actionsOf(p)).toEqual(['fc:InvokeFunction']);
    expect(resourcesFor(p, 'fc:InvokeFunction')).toEqual([`acs:fc:${query?.props.region}:*:functions/${query?.props.functionName}`]);
  });

  it('give the deploying user what `s deploy` and `s invoke` of these functions call, on these functions and roles', () => {
    const p = policy('deployer');
    for (const action of [
      'fc:CreateFunction',
      'fc:UpdateFunction',
      'fc:GetFunction',
      'fc:CreateTrigger',
      'fc:PutConcurrencyConfig',
      'fc:GetScalingConfig',
      'fc:GetTempBucketToken',
      'fc:InvokeFunction',
      'ram:PassRole',
      'log:CreateProject',
    ]) {
      expect(actionsOf(p), action).toContain(action);
    }
    for (const [, r] of resources) expect(resourcesFor(p, 'fc:UpdateFunction')).toContain(`acs:fc:${r.props.region}:*:functions/${r.props.functionName}`);
    const triggers = resources.flatMap(([, r]) =>
      (r.props.triggers ?? []).map((t) => `acs:fc:${r.props.region}:*:functions/${r.props.functionName}/triggers/${t.triggerName}`),
    );
    expect(resourcesFor(p, 'fc:CreateTrigger').sort()).toEqual(triggers.sort());
    expect(resourcesFor(p, 'ram:PassRole').sort()).toEqual(resources.map(([, r]) => `acs:ram:*:*:role/${r.props.role}`).sort());
    // fc3's log helper creates the project serverless-<region>-<id>: the region's projects, no other.
    for (const r of resourcesFor(p, 'log:CreateProject'))
      expect(r).toMatch(new RegExp(`^acs:log:${query?.props.region}:\\*:project/serverless-${query?.props.region}-\\*(/\\*)?$`));
  });

  it('scope every fc: action as FC 3.0 evaluates it (all resources, a trigger ARN or a function ARN)', () => {
    for (const file of readdirSync('ram')) expect(fcResourceViolations(policy(file.replace(/\.json$/, ''))), file).toEqual([]);
  });

  it('the check fails on the deployer policy of 0.2.0: trigger actions and CreateFunction scoped to function ARNs', () => {
    const fn = 'acs:fc:cn-hangzhou:*:functions/query-subscription-detail';
    const legacy: RamPolicy = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: ['fc:GetFunction', 'fc:CreateFunction', 'fc:GetTrigger', 'fc:CreateTrigger', 'fc:UpdateTrigger'], Resource: [fn] },
      ],
    };
    expect(fcResourceViolations(legacy)).toEqual([
      `fc:CreateFunction on ${fn}`,
      `fc:GetTrigger on ${fn}`,
      `fc:CreateTrigger on ${fn}`,
      `fc:UpdateTrigger on ${fn}`,
    ]);
  });

  it('are applied by the README from their files, never pasted into it', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const file of readdirSync('ram')) {
      // Each policy reaches RAM from its file, so the README cannot drift from it.
      expect(readme, `README applies ram/${file}`).toContain(`"$(cat ram/${file})"`);
      expect(readme.replace(/\s+/g, '').includes(JSON.stringify(JSON.parse(readFileSync(`ram/${file}`, 'utf8')))), `README pastes ram/${file}`).toBe(false);
    }
    // Any policy-shaped block the README shows is one of the files, word for word.
    const files = readdirSync('ram').map((f) => JSON.stringify(JSON.parse(readFileSync(`ram/${f}`, 'utf8'))));
    for (const block of readme.matchAll(/```json\n([\s\S]*?)```/g)) {
      const body = block[1] ?? '';
      if (body.includes('"Statement"')) expect(files, 'a pasted policy').toContain(JSON.stringify(JSON.parse(body)));
    }
  });
});
