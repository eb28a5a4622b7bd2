/**
 * The deployable bundle, as FC runs it: built by `npm run build`, copied alone into an empty folder (no
 * node_modules anywhere above it), loaded by a fresh `node`, answering a real FC HTTP event against the sandbox.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DyplsSandbox, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { DEMO, fcContext, httpEvent } from '../support/fc';
import { rememberSecrets } from '../support/harness';

const run = promisify(execFile);
/** The size budget of issue "Performance": minified bundle under 150 KB. */
const BUDGET_BYTES = 150 * 1024;

let sandbox: DyplsSandbox;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dypls-bundle-'));
  copyFileSync('dist/query-subscription-detail/index.js', join(dir, 'index.js'));
  sandbox = await startDyplsSandbox();
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundle's handler once in a child process, as the runtime would: Buffer event, context object. */
async function invokeBundle(event: Buffer, context: object, env: Record<string, string>): Promise<{ result: unknown; stdout: string }> {
  const script = `
    const { handler } = require(${JSON.stringify(join(dir, 'index.js'))});
    const input = JSON.parse(process.argv[1]);
    handler(Buffer.from(input.event, 'base64'), input.context).then((result) => {
      process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');
    });`;
  const { stdout } = await run(process.execPath, ['-e', script, JSON.stringify({ event: event.toString('base64'), context })], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env }, // eslint-disable-line no-restricted-properties -- the child needs PATH only
    timeout: 15_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return { result: JSON.parse(line?.slice(7) ?? 'null') as unknown, stdout };
}

describe('the deployable bundle', () => {
  it('is one CommonJS file exporting handler, under the size budget', () => {
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(statSync(join(dir, 'index.js')).size).toBeLessThan(BUDGET_BYTES);
    expect(code).not.toMatch(/require\("(zod|@alicloud\/pop-core|httpx|kitx|json-bigint)/);
  });

  it('answers a real FC HTTP event against the sandbox with no node_modules beside it', async () => {
    // Prepare
    const credentials = rememberSecrets(sandbox.issueStsCredentials());
    // Act
    const { result, stdout } = await invokeBundle(httpEvent({ query: { ...DEMO } }), fcContext(credentials), { DYPLS_ENDPOINT: sandbox.url });
    // Assess
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    const body = JSON.parse((result as { body: string }).body) as unknown;
    expect(body).toMatchObject({ ok: true, data: { subsId: DEMO.subsId, gmtCreate: '2019-03-02T19:30:11+08:00', status: 'ACTIVE' } });
    const summary = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(summary).toEqual([expect.objectContaining({ msg: 'invocation', status: 200, phoneNoX: '170****0000' })]);
    expect(stdout).not.toContain(credentials.securityToken);
  });

  it('passes a GroupId beyond 2^53 on with every digit, through what pop-core really loads to parse it', async () => {
    // 9007199254740993 is 2^53 + 1: any trip through a double answers ...992.
    const credentials = rememberSecrets(sandbox.issueStsCredentials());
    const request = { poolKey: DEMO.poolKey, subsId: '1000000768798837', phoneNoX: '17000000005' };
    const { result } = await invokeBundle(Buffer.from(JSON.stringify(request)), fcContext(credentials), { DYPLS_ENDPOINT: sandbox.url });
    expect(result).toMatchObject({ ok: true, data: { subsId: '1000000768798837', groupId: '9007199254740993' } });
  });

  it('serves the OpenAPI document it embeds deflated, equal to functions/query-subscription-detail/openapi.json', async () => {
    // The document is deflated at build time (scripts/build.mjs) and inflated on first request: this is its guard.
    const { result } = await invokeBundle(httpEvent({ path: '/openapi.json' }), fcContext({}), { DYPLS_ENDPOINT: sandbox.url });
    expect(result).toMatchObject({ statusCode: 200 });
    const served = JSON.parse((result as { body: string }).body) as unknown;
    expect(served).toEqual(JSON.parse(readFileSync('functions/query-subscription-detail/openapi.json', 'utf8')));
  });

  it('answers 500 ConfigurationInvalid for a bad variable instead of failing to load', async () => {
    const { result } = await invokeBundle(Buffer.from(JSON.stringify(DEMO)), fcContext({}), { DYPLS_ENDPOINT: 'dyplsapi.aliyuncs.com' });
    expect(result).toMatchObject({ ok: false, error: { code: 'ConfigurationInvalid', issues: [{ path: 'DYPLS_ENDPOINT' }] } });
  });

  it('answers hostile input with an HTTP result and its headers, never a bare envelope', async () => {
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    const body = `{"subsId":${deep},"SubsId":${deep}}`;
    const event = httpEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const { result } = await invokeBundle(event, fcContext(rememberSecrets(sandbox.issueStsCredentials())), { DYPLS_ENDPOINT: sandbox.url });
    expect(result).toMatchObject({ statusCode: 400, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });
  });

  it('answers a find and a batch, as FC runs it', async () => {
    const credentials = () => fcContext(rememberSecrets(sandbox.issueStsCredentials()));
    const found = await invokeBundle(httpEvent({ query: { poolKey: DEMO.poolKey, phoneNoX: '17000000010', phoneNoA: '15000000010' } }), credentials(), {
      DYPLS_ENDPOINT: sandbox.url,
    });
    expect(JSON.parse((found.result as { body: string }).body)).toMatchObject({
      ok: true,
      data: { listed: 3, bindings: [{ subsId: '1000000768798850' }, { subsId: '1000000768798852' }] },
    });
    const queries = [DEMO, { ...DEMO, subsId: '4000000000000000' }];
    const batch = await invokeBundle(Buffer.from(JSON.stringify({ queries })), credentials(), { DYPLS_ENDPOINT: sandbox.url });
    expect(batch.result).toMatchObject({ ok: true, data: { counts: { ok: 1, failed: 1 }, results: [{ status: 200 }, { status: 404 }] } });
  });
});
