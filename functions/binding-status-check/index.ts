/**
 * Example caller (FC 3.0, nodejs20): answers "is this binding still active, and until when?" by invoking the
 * query function through the caller library with this function's own STS credentials. Its role needs only
 * `fc:InvokeFunction` on the query function (README: "Call it from another function").
 * Event: `{"poolKey":"FC…","subsId":"…","phoneNoX":"…"}` (direct invocation).
 */
import { configurationFailure, createLogger, failureEnvelope, type FcContext, type FcEvent, loadCallerConfig, queryBindingDetail } from '../../lib/caller';
import { bindingStatus } from './status';

const config = loadCallerConfig();
const logger = createLogger({ level: config.ok ? config.config.LOG_LEVEL : 'info' });

function parsePayload(event: FcEvent): unknown {
  try {
    return JSON.parse(Buffer.isBuffer(event) ? event.toString('utf8') : String(event)) as unknown;
  } catch {
    return undefined;
  }
}

export async function handler(event: FcEvent, context: FcContext) {
  const started = Date.now();
  if (!config.ok) return failureEnvelope(configurationFailure(config.problems));
  const c = config.config;
  const answer = await queryBindingDetail(parsePayload(event), {
    credentials: context.credentials,
    accountId: context.accountId ?? '',
    region: context.region ?? '',
    functionName: c.TARGET_FUNCTION_NAME,
    qualifier: c.TARGET_QUALIFIER,
    serviceName: c.TARGET_SERVICE_NAME,
    timeoutMs: c.INVOKE_TIMEOUT_MS,
    endpoint: c.INVOKE_ENDPOINT,
    internal: c.INVOKE_INTERNAL,
  });
  const result = bindingStatus(answer, Date.now());
  logger.info('invocation', {
    requestId: context.requestId,
    fn: context.function?.name ?? null,
    ok: result.ok,
    active: result.ok ? result.active : null,
    errorCode: result.ok ? null : result.error.code,
    upstreamRequestId: result.requestId,
    durationMs: Date.now() - started,
  });
  return result;
}
