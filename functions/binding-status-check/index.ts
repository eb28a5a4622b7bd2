/**
 * Example caller (FC 3.0, nodejs20): answers "is this binding still active, and until when?" by invoking the
 * query function through the caller library with this function's own STS credentials. Its role needs only
 * `fc:InvokeFunction` on the query function (README: "Call it from another function"). Thin on purpose: the
 * settings are read and the client (with its keep-alive connection) is built once per instance. Its settings
 * and logger are its own (./config.ts, the shared logger), not the library's: a consumer brings its own too.
 */
import { type BindingDetailClient, createBindingDetailClient } from '../../lib/caller';
import { failureEnvelope } from '../../lib/shared/envelope';
import { configurationFailure } from '../../lib/shared/errors';
import { createLogger } from '../../lib/shared/logger';
import { loadCallerConfig } from './config';
import { createStatusCheckHandler } from './status';

const config = loadCallerConfig();
const logger = createLogger({ level: config.ok ? config.config.LOG_LEVEL : 'info' });
let client: BindingDetailClient | undefined;

export const handler = config.ok
  ? createStatusCheckHandler({
      logger,
      // The query function lives in this function's own account and region: known from the first invocation.
      clientFor: (context) =>
        (client ??= createBindingDetailClient({
          accountId: context.accountId ?? '',
          region: context.region ?? '',
          functionName: config.config.TARGET_FUNCTION_NAME,
          qualifier: config.config.TARGET_QUALIFIER,
          serviceName: config.config.TARGET_SERVICE_NAME,
          timeoutMs: config.config.INVOKE_TIMEOUT_MS,
          endpoint: config.config.INVOKE_ENDPOINT,
          internal: config.config.INVOKE_INTERNAL,
        })),
    })
  : async () => failureEnvelope(configurationFailure(config.problems));
