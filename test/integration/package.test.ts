/**
 * The caller package as another team gets it: `npm pack` of packages/caller, publint and Are the Types Wrong on
 * the tarball, installed into an empty project; what the install pulls; TypeScript consumers type-checked
 * against the installed types (node16 and bundler resolution), ESM and CommonJS consumers run; a consumer
 * function bundled with plain esbuild, its size, and the bundle answering through the local FC invoke API →
 * the query bundle → the sandbox; an FC 2.0 target without fc2 installed, then with it.
 *
 * The installs take zod (and, in the last test, fc2) from the npm registry when the cache lacks them: the one
 * test file that needs the registry, which CI reaches.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { checkPackage, Package } from '@arethetypeswrong/core';
import { build, transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DyplsSandbox, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { type FcInvokeApi, startFcInvokeApi } from '../../lib/dev/fc-invoke-api';
import { loadBundledHandler } from '../../lib/dev/stack';
import { captureBundleStdout, rememberSecrets } from '../support/harness';

const run = promisify(execFile);
const REPO = resolve('.');
const PACKAGE = JSON.parse(readFileSync(join(REPO, 'packages/caller/package.json'), 'utf8')) as { name: string; version: string };
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);
/** The most a consumer function that imports the package may bundle to (plain esbuild, minified). */
const CONSUMER_BUNDLE_BUDGET = 60 * 1024;

let dir: string;
let consumer: string;
let tarball: string;
let sandbox: DyplsSandbox;
let fcApi: FcInvokeApi;
let restoreStdout = () => {};

const npmInstall = (args: string[]) =>
  run('npm', ['install', ...args, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: consumer, timeout: 120_000 });

beforeAll(async () => {
  restoreStdout = captureBundleStdout();
  dir = mkdtempSync(join(tmpdir(), 'dypls-package-'));
  // prepack builds packages/caller/dist (tsup) first.
  await run('npm', ['pack', '-w', PACKAGE.name, '--pack-destination', dir], { cwd: REPO, timeout: 90_000 });
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? 'no tarball');
  consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await npmInstall([tarball]);
  sandbox = await startDyplsSandbox();
  fcApi = await startFcInvokeApi();
  const query = loadBundledHandler({ DYPLS_ENDPOINT: sandbox.url, DYPLS_TIMEOUT_MS: '1000' });
  fcApi.register('query-subscription-detail', { handler: query, credentials: () => rememberSecrets(sandbox.issueStsCredentials()), wrapAsHttpEvent: true });
}, 240_000);

afterAll(async () => {
  await fcApi?.close();
  await sandbox?.close();
  restoreStdout();
  rmSync(dir, { recursive: true, force: true });
});

/** Arguments every consumer script below takes: where the FC invoke API is, and fresh STS credentials for it. */
function consumerArgs(): string[] {
  const creds = rememberSecrets(fcApi.issueStsCredentials());
  return [fcApi.url, fcApi.accountId, creds.accessKeyId, creds.accessKeySecret, creds.securityToken];
}

describe('the published package', () => {
  it('is scoped, and ships the ESM and CommonJS builds with their types, its own README and the licence, nothing else', async () => {
    expect(PACKAGE.name).toMatch(/^@[a-z0-9-]+\/dypls-query$/);
    const { stdout } = await run('tar', ['-tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual(
      ['LICENSE', 'README.md', 'package.json', 'dist/index.cjs', 'dist/index.d.mts', 'dist/index.d.ts', 'dist/index.mjs'].map((f) => `package/${f}`).sort(),
    );
    const { stdout: readme } = await run('tar', ['-xzOf', tarball, 'package/README.md']);
    expect(readme).toBe(readFileSync(join(REPO, 'packages/caller/README.md'), 'utf8'));
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
        else files[`/node_modules/${PACKAGE.name}/${relative(root, p)}`] = new Uint8Array(readFileSync(p));
      }
    };
    walk(root);
    // Act
    const result = await checkPackage(new Package(files, PACKAGE.name, PACKAGE.version));
    // Assess
    expect('problems' in result ? result.problems : ['not analysed']).toEqual([]);
  });
});

const TS_CONSUMER = `
import { createBindingDetailClient, type BindingDetail, type Envelope, type ErrorCode, type KnownErrorCode } from '@your-org/dypls-query';

const [endpoint, accountId, accessKeyId, accessKeySecret, securityToken] = process.argv.slice(2) as [string, string, string, string, string];
const client = createBindingDetailClient({ accountId, region: 'cn-hangzhou', functionName: 'query-subscription-detail', endpoint });
const answer: Envelope = await client.query({ poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' }, { accessKeyId, accessKeySecret, securityToken });
if (answer.ok) {
  const detail: BindingDetail = answer.data;
  const status: 'ACTIVE' | 'INACTIVE' | 'UNKNOWN' = detail.status;
  process.stdout.write(JSON.stringify({ ok: true, status, expireDate: detail.expireDate }));
} else {
  const code: ErrorCode = answer.error.code;
  process.stdout.write(JSON.stringify({ ok: false, code, gone: code === 'isv.SUBS_NOT_EXIST' }));
}
const known: KnownErrorCode[] = ['isv.SUBS_NOT_EXIST', 'InvalidRequest', 'InvokeTimeout', 'PeerDependencyMissing'];
void known;
// @ts-expect-error: the union is the status table's; a misspelt code is no known code
const misspelt: KnownErrorCode = 'isv.SUBS_NOT_EXISTS';
void misspelt;
// @ts-expect-error: the request is typed; a number is no pool key
void client.query({ poolKey: 5, subsId: '1', phoneNoX: '17000000000' }, undefined);
`;

const CJS_CONSUMER = `
const { queryBindingDetail } = require('@your-org/dypls-query');
const [endpoint, accountId, accessKeyId, accessKeySecret, securityToken, serviceName] = process.argv.slice(2);
queryBindingDetail({ poolKey: 'FC100000012345678', subsId: '4000000000000000', phoneNoX: '17000000000' },
  { credentials: { accessKeyId, accessKeySecret, securityToken }, accountId, region: 'cn-hangzhou', functionName: 'query-subscription-detail', endpoint, serviceName })
  .then((a) => process.stdout.write(JSON.stringify(a.ok ? { ok: true } : { ok: false, code: a.error.code, message: a.error.message })));
`;

/** Another team's function, as its README tells them to write it. */
const CONSUMER_FUNCTION = `
import { createBindingDetailClient, type BindingDetailClient, type FcContext } from '@your-org/dypls-query';

let client: BindingDetailClient | undefined;

export async function handler(event: Buffer, context: FcContext & { endpoint: string }) {
  client ??= createBindingDetailClient({ accountId: context.accountId ?? '', region: context.region ?? '', functionName: 'query-subscription-detail', endpoint: context.endpoint });
  const answer = await client.query(JSON.parse(event.toString()), context.credentials);
  return answer.ok ? { status: answer.data.status, until: answer.data.expireDate } : answer.error;
}
`;

describe('an empty project that installs the package', () => {
  it('installs zod beside it, and nothing of fc2 (ali-oss, axios, core-js)', () => {
    const installed = readdirSync(join(consumer, 'node_modules')).flatMap((d) =>
      d.startsWith('@') ? readdirSync(join(consumer, 'node_modules', d)).map((n) => `${d}/${n}`) : [d],
    );
    expect(installed.filter((n) => !n.startsWith('.')).sort()).toEqual([PACKAGE.name, 'zod'].sort());
  });

  it.each([
    { resolution: 'node16', module: 'node16' },
    { resolution: 'bundler', module: 'esnext' },
  ])('type-checks a TypeScript consumer against the installed types ($resolution resolution)', async ({ resolution, module }) => {
    const file = `consumer-${resolution}.ts`;
    writeFileSync(join(consumer, file), TS_CONSUMER);
    const config = join(consumer, `tsconfig.${resolution}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module,
          moduleResolution: resolution,
          target: 'es2022',
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
        },
        files: [file],
      }),
    );
    // A failing type-check rejects with tsc's diagnostics on stdout.
    await expect(run(bin('tsc'), ['-p', config], { cwd: consumer, timeout: 60_000 })).resolves.toBeDefined();
  });

  it('runs it (ESM) and a CommonJS one, against the local FC invoke API, the bundle and the sandbox', async () => {
    // Prepare
    writeFileSync(join(consumer, 'consumer.mjs'), transformSync(TS_CONSUMER, { loader: 'ts', format: 'esm' }).code);
    writeFileSync(join(consumer, 'consumer.cjs'), CJS_CONSUMER);
    // Act
    const esm = await run(process.execPath, ['consumer.mjs', ...consumerArgs()], { cwd: consumer, timeout: 20_000 });
    const cjs = await run(process.execPath, ['consumer.cjs', ...consumerArgs()], { cwd: consumer, timeout: 20_000 });
    // Assess
    expect(JSON.parse(esm.stdout)).toEqual({ ok: true, status: 'ACTIVE', expireDate: '2019-09-05T12:00:00+08:00' });
    expect(JSON.parse(cjs.stdout)).toMatchObject({ ok: false, code: 'isv.SUBS_NOT_EXIST' });
    expect(fcApi.seen.slice(-2).map((s) => s.path.split('?')[0])).toEqual([
      '/2023-03-30/functions/query-subscription-detail/invocations',
      '/2023-03-30/functions/query-subscription-detail/invocations',
    ]);
  });

  it(`bundles a consumer function with plain esbuild (no aliases, no externals) under ${CONSUMER_BUNDLE_BUDGET / 1024} KB, and the bundle answers`, async () => {
    // Prepare
    writeFileSync(join(consumer, 'function.ts'), CONSUMER_FUNCTION);
    // .cjs: the consumer project is "type": "module"; FC's runtime loads the bundle as CommonJS.
    const outfile = join(consumer, 'dist', 'index.cjs');
    // Act: what the package README tells a consumer to run.
    await build({
      absWorkingDir: consumer,
      entryPoints: ['function.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      minify: true,
      outfile,
      logLevel: 'silent',
    });
    rmSync(join(consumer, 'node_modules'), { recursive: true, force: true }); // the bundle alone, as deployed
    const { handler } = createRequire(import.meta.url)(outfile) as {
      handler: (event: Buffer, context: Record<string, unknown>) => Promise<Record<string, unknown>>;
    };
    const [endpoint, accountId, accessKeyId, accessKeySecret, securityToken] = consumerArgs();
    const answer = await handler(Buffer.from(JSON.stringify({ poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' })), {
      accountId,
      region: 'cn-hangzhou',
      endpoint,
      credentials: { accessKeyId, accessKeySecret, securityToken },
    });
    // Assess
    expect(statSync(outfile).size).toBeLessThanOrEqual(CONSUMER_BUNDLE_BUDGET);
    expect(answer).toEqual({ status: 'ACTIVE', until: '2019-09-05T12:00:00+08:00' });
    // Reinstall for the tests below.
    await npmInstall([tarball]);
  }, 150_000);

  it('answers an FC 2.0 target without fc2 installed with PeerDependencyMissing, naming the package; with fc2 installed, it calls', async () => {
    // Prepare
    expect(existsSync(join(consumer, 'node_modules', '@alicloud', 'fc2'))).toBe(false);
    // Act
    const without = await run(process.execPath, ['consumer.cjs', ...consumerArgs(), 'dypls'], { cwd: consumer, timeout: 20_000 });
    await npmInstall(['@alicloud/fc2@2.6.6']);
    const before = fcApi.seen.length;
    const withFc2 = await run(process.execPath, ['consumer.cjs', ...consumerArgs(), 'dypls'], { cwd: consumer, timeout: 20_000 });
    // Assess
    expect(JSON.parse(without.stdout)).toMatchObject({
      ok: false,
      code: 'PeerDependencyMissing',
      message: expect.stringContaining('npm install @alicloud/fc2'),
    });
    expect(JSON.parse(withFc2.stdout)).toMatchObject({ ok: false, code: 'isv.SUBS_NOT_EXIST' });
    expect(fcApi.seen.slice(before).map((s) => s.path.split('?')[0])).toEqual(['/2016-08-15/services/dypls/functions/query-subscription-detail/invocations']);
  }, 150_000);
});

describe('the command-line package, installed into an empty project', () => {
  const CLI_PACKAGE = JSON.parse(readFileSync(join(REPO, 'packages/cli/package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
  let operator: string;
  let cliTarball: string;
  const npx = (args: string[], env: Record<string, string> = {}) =>
    run('npx', ['dypls-query', ...args], {
      cwd: operator,
      timeout: 30_000,
      // eslint-disable-next-line no-restricted-properties -- npx needs this environment (its cache, PATH), plus the operator's.
      env: { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  beforeAll(async () => {
    const packDir = join(dir, 'cli-pack');
    mkdirSync(packDir);
    await run('npm', ['pack', '-w', CLI_PACKAGE.name, '--pack-destination', packDir], { cwd: REPO, timeout: 90_000 });
    cliTarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')) ?? 'no tarball');
    operator = join(dir, 'operator');
    mkdirSync(operator);
    writeFileSync(join(operator, 'package.json'), JSON.stringify({ name: 'operator', private: true }));
    // The caller package is not on a registry here: both tarballs, as a team installs them from its own.
    await run('npm', ['install', tarball, cliTarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: operator, timeout: 120_000 });
  }, 240_000);

  it('ships the command, its README and the licence; depends on the caller package and not on anything of the function', async () => {
    const { stdout } = await run('tar', ['-tzf', cliTarball]);
    expect(stdout.trim().split('\n').sort()).toEqual(['LICENSE', 'README.md', 'package.json', 'dist/cli.cjs'].map((f) => `package/${f}`).sort());
    expect(CLI_PACKAGE.dependencies[PACKAGE.name]).toBe(PACKAGE.version);
    const source = readFileSync(join(operator, 'node_modules', CLI_PACKAGE.name, 'dist', 'cli.cjs'), 'utf8');
    expect(source).toContain(`require("${PACKAGE.name}")`);
    expect(source).not.toMatch(/pop-core|dyplsapi-sandbox|createSignedRequest|lib\/dev/);
  });

  it('runs npx dypls-query --help, refuses --local clearly, and looks a binding up through Function Compute', async () => {
    const help = await npx(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/lookup[^]*find[^]*reconcile/);
    const local = await npx(['lookup', '--local', '--pool-key', 'FC100000012345678', '--subs-id', '1000000768798832', '--x', '17000000000']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--local runs the embedded sandbox[^]*only in the dypls-query repository/);
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: creds.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: creds.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: creds.securityToken,
    };
    const found = await npx(
      [
        'lookup',
        '--endpoint',
        fcApi.url,
        '--account-id',
        fcApi.accountId,
        '--region',
        'cn-hangzhou',
        '--pool-key',
        'FC100000012345678',
        '--subs-id',
        '1000000768798832',
        '--x',
        '17000000000',
      ],
      env,
    );
    expect(found.stderr).toBe('');
    expect(JSON.parse(found.stdout)).toMatchObject({ ok: true, data: { subsId: '1000000768798832', status: 'ACTIVE' } });
  }, 60_000);
});
