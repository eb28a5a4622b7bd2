/**
 * FC 3.0 entry point (`handler: index.handler`, runtime nodejs20). Thin on purpose: the configuration is parsed
 * and the pop-core client with its keep-alive agent is built once per instance, here at module scope, so warm
 * invocations reuse them; everything else lives in lib/.
 */
import { loadFunctionConfig } from '../../lib/config';
import { createHandler } from '../../lib/handler';
import openapi from './openapi.json';

export const handler = createHandler({
  config: loadFunctionConfig(),
  openapiDocument: JSON.stringify(openapi),
});
