/**
 * Example caller (FC 3.0, nodejs20): answers "is this binding still active, and until when?" by invoking the
 * query function through the caller library with this function's own STS credentials. Its role needs only
 * `fc:InvokeFunction` on the query function (README: "Call it from another function"). Thin on purpose: the
 * settings are read and the client (with its keep-alive connection) is built once per instance.
 */
import { type BindingDetailClient, configurationFailure, createBindingDetailClient, createLogger, failureEnvelope, loadCallerConfig } from '../../lib/caller';
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
