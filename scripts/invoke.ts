// `npm run invoke -- '<event json>'` (or `--event-file f.json`): one direct invocation of the built bundle,
// in-process, the payload unwrapped (as InvokeFunction delivers it to a function without an HTTP trigger), against the
// embedded sandbox by default.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDevEnv } from '../lib/dev/env';
import { fcRequestId } from '../lib/dev/fc-gateway';
import { startLocalStack } from '../lib/dev/stack';

const DEMO_EVENT = '{"poolKey":"FC100000012345678","subsId":"1000000768798832","phoneNoX":"17000000000"}';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'event-file': { type: 'string', short: 'f' }, upstream: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log(`usage: npm run invoke -- '<event json>' | --event-file event.json [--upstream URL]\n  default event: ${DEMO_EVENT}`);
  process.exit(0);
}

const env = loadDevEnv();
const event = values['event-file'] !== undefined ? readFileSync(values['event-file']) : Buffer.from(positionals[0] ?? DEMO_EVENT, 'utf8');
const stack = await startLocalStack({ upstream: values.upstream ?? env.DYPLS_UPSTREAM, env });
try {
  console.error(`# invoking with ${event.length} bytes against ${stack.sandbox ? 'the embedded sandbox' : stack.endpoint}; log lines first, then the result`);
  const result = await stack.handler(event, stack.context(fcRequestId(Date.now())));
  console.log(Buffer.isBuffer(result) ? result.toString('utf8') : JSON.stringify(result, null, 2));
} finally {
  await stack.close();
}
