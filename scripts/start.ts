// `npm start`: the function behind a local FC HTTP gateway on 127.0.0.1:9000, against the embedded Dyplsapi
// sandbox (or a real endpoint with --upstream). No cloud account, no Docker, no network.
import { parseArgs } from 'node:util';
import { loadDevEnv } from '../lib/dev/env';
import { exampleCliCommands, exampleCurls, startLocalServer } from '../lib/dev/stack';

const { values } = parseArgs({
  options: { upstream: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log('usage: npm start [-- --upstream https://dyplsapi.aliyuncs.com] [--port 9000] [--host 127.0.0.1]');
  process.exit(0);
}

const env = loadDevEnv();
const upstream = values.upstream ?? env.DYPLS_UPSTREAM;
const port = values.port !== undefined ? Number(values.port) : env.PORT;
const host = values.host ?? env.HOST;

if (upstream && !env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
  console.warn('warning: --upstream without ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET(/SECURITY_TOKEN): every query will answer 500 CredentialsUnavailable');
}

const server = await startLocalServer({ upstream, env, port, host });
const base = server.gateway.url;
console.log(`dypls-query is listening on ${base}`);
console.log(
  upstream
    ? `Dyplsapi: ${upstream} (real endpoint, your credentials)`
    : `Dyplsapi: embedded sandbox at ${server.stack.endpoint} (demo data: lib/dev/sandbox-bindings.json)`,
);
console.log(`OpenAPI document: ${base}/openapi.json\n`);
console.log('Try:');
for (const { title, command } of exampleCurls(base)) console.log(`  # ${title}\n  ${command}\n`);
console.log('Or, as an operator would ask, with the command line (each runs its own stack in its own process):');
for (const { title, args } of exampleCliCommands()) console.log(`  # ${title}\n  npm run cli -- ${args.join(' ')}\n`);
console.log('Function logs (JSON lines) follow. Ctrl-C stops.\n');

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: shutting down`);
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
