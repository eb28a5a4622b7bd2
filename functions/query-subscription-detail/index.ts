/**
 * FC 3.0 entry point (`handler: index.handler`, runtime nodejs20). Thin on purpose: the configuration is parsed
 * and the pop-core client with its keep-alive agent is built once per instance, here at module scope, so warm
 * invocations reuse them; everything else lives in lib/query.
 */
import { inflateRawSync } from 'node:zlib';
import openapiDeflated from 'openapi:deflated';
import { config as zodConfig } from 'zod/mini';
import { createHandler } from '../../lib/fc';
import { loadFunctionConfig } from '../../lib/query';

// zod compiles a fast parser per object schema on first use (new Function): a win for hot loops over large
// objects, a loss for a 4-field request whose first parse is on a cold start's critical path.
zodConfig({ jitless: true });

export const handler = createHandler({
  config: loadFunctionConfig(),
  // The document is rarely asked for: inflated on the first request for it, not at load.
  openapiDocument: () => inflateRawSync(Buffer.from(openapiDeflated, 'base64')).toString('utf8'),
});
