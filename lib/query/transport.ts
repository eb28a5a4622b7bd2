/**
 * The hard limits of one upstream attempt, held under pop-core (which stays the client that signs and sends).
 * pop-core's own timers start only once connected, keep reading after they fire, and its reader inflates and
 * buffers any body whole. So every request pop-core makes goes through this keep-alive agent, which per attempt:
 *
 * - gives up connecting after a connect timeout (nothing was sent: safe to retry);
 * - runs one overall timer from the moment the request is made (connect + send + read) and, when it fires,
 *   destroys the request and its socket, so nothing is read after the attempt ended;
 * - asks for `identity` encoding and refuses an encoded answer (there is nothing to inflate, so nothing to bomb);
 * - caps the bytes read from the socket, headers included, and destroys the socket past the cap;
 * - destroys anything still open when the attempt ends for another reason.
 *
 * The pool itself survives: a request that completes hands its socket back for the next warm invocation.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/** A QuerySubscriptionDetail answer is about 1 KB; 64 KiB on the wire, headers included, is generous. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/**
 * A QuerySubsId answer lists every SubsId of X in one string: 20 bytes each, so 2 MiB holds about 100,000, far
 * past any pool's reuse of one number. A find looks up only the first FIND_MAX_BINDINGS of them.
 */
export const MAX_LIST_RESPONSE_BYTES = 2 * 1024 * 1024;
/** Connecting (TCP, and TLS for https) to the endpoint. Loopback and FC → Dyplsapi take milliseconds. */
export const CONNECT_TIMEOUT_MS = 1000;

/** Codes of the errors the agent destroys a request with; lib/query/upstream.ts reads them. */
export const TRANSPORT_ERRORS = {
  attemptTimeout: 'DYPLS_ATTEMPT_TIMEOUT',
  connectTimeout: 'DYPLS_CONNECT_TIMEOUT',
  tooLarge: 'DYPLS_RESPONSE_TOO_LARGE',
  encoded: 'DYPLS_RESPONSE_ENCODED',
} as const;

export type TransportErrorCode = (typeof TRANSPORT_ERRORS)[keyof typeof TRANSPORT_ERRORS];

class TransportError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'TransportError';
  }
}

const LIMITS = Symbol('dypls.attemptLimits');

/** One attempt's limits and the request it made, so the attempt can close it whatever happens. */
export interface AttemptGuard {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxBytes: number;
  request: http.ClientRequest | undefined;
  response: http.IncomingMessage | undefined;
  /**
   * Why the guard destroyed the request, if it did. What pop-core then rejects with is whatever the stream
   * reported (often a plain ECONNRESET), so this, not that error, says what happened.
   */
  failedWith: TransportErrorCode | undefined;
  /** Settles when the guard destroys the request: pop-core may only notice at its own timer, so the attempt races this. */
  readonly cutShort: Promise<void>;
  /** The answer's body as read off the wire (at most `maxBytes`), for what pop-core's parser does not check. */
  readonly body: Buffer[];
  /** Destroys the request (and its socket) if it has not completed. Called when the attempt ends. */
  close(): void;
}

export function newAttemptGuard(timeoutMs: number, connectTimeoutMs = CONNECT_TIMEOUT_MS, maxBytes = MAX_RESPONSE_BYTES): AttemptGuard {
  let cut: () => void = () => {};
  const cutShort = new Promise<void>((resolve) => {
    cut = resolve;
  });
  const guard: AttemptGuard & { cut: () => void } = {
    cutShort,
    cut,
    timeoutMs,
    connectTimeoutMs: Math.min(connectTimeoutMs, timeoutMs),
    maxBytes,
    request: undefined,
    response: undefined,
    failedWith: undefined,
    body: [],
    close() {
      const req = guard.request;
      if (req && !req.destroyed && !(guard.response?.complete ?? false)) req.destroy(new TransportError(TRANSPORT_ERRORS.attemptTimeout));
    },
  };
  return guard;
}

/**
 * pop-core options for one attempt: the guard rides on the request options (pop-core hands `beforeRequest` to
 * its HTTP layer) down to the agent. pop-core's own timeout is set past the guard's so that the guard, which
 * also destroys, always fires first.
 */
export function attemptOptions(guard: AttemptGuard): {
  timeout: number;
  beforeRequest: (o: Record<string | symbol, unknown>) => Record<string | symbol, unknown>;
} {
  return {
    timeout: guard.timeoutMs + 1000,
    beforeRequest(options) {
      options[LIMITS] = guard;
      options.headers = { ...(options.headers as Record<string, string>), 'accept-encoding': 'identity' };
      return options;
    },
  };
}

function watch(req: http.ClientRequest, guard: AttemptGuard & { cut?: () => void }): void {
  guard.request = req;
  const fail = (code: TransportErrorCode) => {
    if (req.destroyed) return;
    guard.failedWith ??= code;
    req.destroy(new TransportError(code));
    guard.cut?.();
  };
  const overall = setTimeout(() => fail(TRANSPORT_ERRORS.attemptTimeout), guard.timeoutMs);
  let connectTimer: NodeJS.Timeout | undefined;
  let socket: Socket | undefined;
  let startBytes = 0;
  const onData = () => {
    if (socket && socket.bytesRead - startBytes > guard.maxBytes) fail(TRANSPORT_ERRORS.tooLarge);
  };
  const onConnected = () => clearTimeout(connectTimer);

  req.once('socket', (s: Socket) => {
    socket = s;
    startBytes = s.bytesRead;
    s.on('data', onData);
    if (s.connecting) {
      connectTimer = setTimeout(() => fail(TRANSPORT_ERRORS.connectTimeout), guard.connectTimeoutMs);
      // For https the handshake is part of connecting.
      s.once('encrypted' in s ? 'secureConnect' : 'connect', onConnected);
    }
  });
  req.once('response', (res: http.IncomingMessage) => {
    guard.response = res;
    // Observes the chunks pop-core's reader gets, without reading the stream itself: a listener of our own would
    // start it flowing before that reader is attached, and the reader would miss the first chunks.
    const emit = res.emit.bind(res);
    res.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === 'data' && Buffer.isBuffer(args[0])) guard.body.push(args[0]);
      return emit(event, ...args);
    };
    const encoding = res.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return fail(TRANSPORT_ERRORS.encoded);
    const length = Number(res.headers['content-length']);
    if (Number.isFinite(length) && length > guard.maxBytes) return fail(TRANSPORT_ERRORS.tooLarge);
  });
  req.once('close', () => {
    clearTimeout(overall);
    clearTimeout(connectTimer);
    socket?.removeListener('data', onData);
    if (guard.request === req) guard.request = undefined;
    guard.response = undefined;
  });
}

/** The instance's keep-alive agent for the Dyplsapi endpoint, with the per-attempt limits above. */
export function createBoundedAgent(endpoint: string): http.Agent {
  const Base = endpoint.startsWith('https://') ? https.Agent : http.Agent;
  // Node's typings omit addRequest, the method through which every request reaches an agent.
  const baseAddRequest = (Base.prototype as unknown as { addRequest(r: http.ClientRequest, o: http.RequestOptions): void }).addRequest;
  class BoundedAgent extends Base {
    addRequest(req: http.ClientRequest, options: http.RequestOptions & { [LIMITS]?: AttemptGuard }): void {
      const guard = options[LIMITS];
      if (guard) watch(req, guard);
      baseAddRequest.call(this, req, options);
    }
  }
  return new BoundedAgent({ keepAlive: true, keepAliveMsecs: 3000 });
}
