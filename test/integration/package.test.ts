/**
 * The caller library as another team gets it: `npm pack`, publint and Are the Types Wrong on the tarball,
 * installed into an empty project, a TypeScript consumer type-checked against the installed types (ESM), a
 * CommonJS one, both run against the local FC invoke API → the query bundle → the sandbox.
 *
 * The install takes the package's own dependencies (zod, fc2) from the npm registry when the cache lacks their
 * metadata: the one test that needs the registry, which CI reaches.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkPackage, Package } from '@arethetypeswrong/core';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DyplsSandbox, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { type FcInvokeApi, startFcInvokeApi } from '../../lib/dev/fc-invoke-api';
import { loadBundledHandler } from '../../lib/dev/stack';
import { captureBundleStdout, rememberSecrets } from '../support/harness';

const run = promisify(execFile);
const REPO = resolve('.');
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

let dir: string;
let tarball: string;
let sandbox: DyplsSandbox;
let fcApi: FcInvokeApi;
let restoreStdout = () => {};

beforeAll(async () => {
  restoreStdout = captureBundleStdout();
  dir = mkdtempSync(join(tmpdir(), 'dypls-package-'));
  // prepack builds pkg/ (tsup) first.
  await run('npm', ['pack', '--pack-destination', dir], { cwd: REPO, timeout: 60_000 });
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? 'no tarball');
  const consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: consumer, timeout: 120_000 });
  sandbox = await startDyplsSandbox();
  fcApi = await startFcInvokeApi();
  const query = loadBundledHandler({ DYPLS_ENDPOINT: sandbox.url, DYPLS_TIMEOUT_MS: '1000' });
  fcApi.register('query-subscription-detail', { handler: query, credentials: () => rememberSecrets(sandbox.issueStsCredentials()), wrapAsHttpEvent: true });
}, 180_000);

afterAll(async () => {
  await fcApi?.close();
  await sandbox?.close();
  restoreStdout();
  rmSync(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships the ESM and CommonJS builds with their types, the README and the licence, nothing else', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual(
      ['LICENSE', 'README.md', 'package.json', 'pkg/index.cjs', 'pkg/index.d.mts', 'pkg/index.d.ts', 'pkg/index.mjs'].map((f) => `package/${f}`).sort(),
    );
  });

  it('passes publint', async () => {
    const { stdout } = await run(bin('publint'), ['run', tarball, '--strict', '--level', 'suggestion'], { timeout: 60_000 });
    expect(stdout).not.toMatch(/Suggestions:|Warnings:|Errors:/);
  });

  it('passes Are the Types Wrong (its core; the CLI cannot unpack a tarball over 64 KB)', async () => {
    // Prepare: the tarball's files, unpacked by tar, as the CLI would read them.
    const out = join(dir, 'attw');
    mkdirSync(out);
    await run('tar', ['-xzf', tarball, '-C', out]);
    const root = join(out, 'package');
    const files: Record<string, Uint8Array> = {};
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else files[`/node_modules/dypls-query/${relative(root, p)}`] = new Uint8Array(readFileSync(p));
      }
    };
    walk(root);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    // Act
    const result = await checkPackage(new Package(files, 'dypls-query', manifest.version));
    // Assess
    expect('problems' in result ? result.problems : ['not analysed']).toEqual([]);
  });
});

const TS_CONSUMER = `
import { createBindingDetailClient, type BindingDetail, type Envelope } from 'dypls-query';

const [endpoint, accountId, accessKeyId, accessKeySecret, securityToken] = process.argv.slice(2) as [string, string, string, string, string];
const client = createBindingDetailClient({ accountId, region: 'cn-hangzhou', functionName: 'query-subscription-detail', endpoint });
const answer: Envelope = await client.query({ poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' }, { accessKeyId, accessKeySecret, securityToken });
if (answer.ok) {
  const detail: BindingDetail = answer.data;
  const status: 'ACTIVE' | 'INACTIVE' | 'UNKNOWN' = detail.status;
  process.stdout.write(JSON.stringify({ ok: true, status, expireDate: detail.expireDate }));
} else {
  process.stdout.write(JSON.stringify({ ok: false, code: answer.error.code }));
}
// @ts-expect-error: the request is typed; a number is no pool key
void client.query({ poolKey: 5, subsId: '1', phoneNoX: '17000000000' }, undefined);
`;

const CJS_CONSUMER = `
const { queryBindingDetail } = require('dypls-query');
const [endpoint, accountId, accessKeyId, accessKeySecret, securityToken] = process.argv.slice(2);
queryBindingDetail({ poolKey: 'FC100000012345678', subsId: '4000000000000000', phoneNoX: '17000000000' },
  { credentials: { accessKeyId, accessKeySecret, securityToken }, accountId, region: 'cn-hangzhou', functionName: 'query-subscription-detail', endpoint })
  .then((a) => process.stdout.write(JSON.stringify(a.ok ? { ok: true } : { ok: false, code: a.error.code })));
`;

describe('an empty project that installs the package', () => {
  it('type-checks a TypeScript consumer against the installed types', async () => {
    const consumer = join(dir, 'consumer');
    writeFileSync(join(consumer, 'consumer.ts'), TS_CONSUMER);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    // A failing type-check rejects with tsc's diagnostics on stdout.
    await expect(run(bin('tsc'), ['-p', join(consumer, 'tsconfig.json')], { cwd: consumer, timeout: 60_000 })).resolves.toBeDefined();
  });

  it('runs it (ESM) and a CommonJS one, against the local FC invoke API, the bundle and the sandbox', async () => {
    // Prepare
    const consumer = join(dir, 'consumer');
    writeFileSync(join(consumer, 'consumer.mjs'), transformSync(TS_CONSUMER, { loader: 'ts', format: 'esm' }).code);
    writeFileSync(join(consumer, 'consumer.cjs'), CJS_CONSUMER);
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const args = [fcApi.url, fcApi.accountId, creds.accessKeyId, creds.accessKeySecret, creds.securityToken];
    // Act
    const esm = await run(process.execPath, ['consumer.mjs', ...args], { cwd: consumer, timeout: 20_000 });
    const cjs = await run(process.execPath, ['consumer.cjs', ...args], { cwd: consumer, timeout: 20_000 });
    // Assess
    expect(JSON.parse(esm.stdout)).toEqual({ ok: true, status: 'ACTIVE', expireDate: '2019-09-05T12:00:00+08:00' });
    expect(JSON.parse(cjs.stdout)).toEqual({ ok: false, code: 'isv.SUBS_NOT_EXIST' });
    expect(fcApi.seen.slice(-2).map((s) => s.path.split('?')[0])).toEqual([
      '/2023-03-30/functions/query-subscription-detail/invocations',
      '/2023-03-30/functions/query-subscription-detail/invocations',
    ]);
  });
});
