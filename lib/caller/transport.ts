/**
 * The caller's one HTTP exchange: a request over the client's keep-alive agent, bounded in time and in the
 * size of what it reads back.
 */
import http from 'node:http';
import https from 'node:https';

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The largest answer the function gives is a batch of 100 items whose 7 text fields are each at their cap of
 * 256 characters, every one escaped 6-fold in JSON: about 1.2 MB (test/integration/caller.test.ts builds it).
 * Four times that leaves room for what a newer function adds; anything past it is not an answer.
 */
const MAX_REPLY_BYTES = 5 * 1024 * 1024;

export class InvokeTimeoutError extends Error {
  override name = 'InvokeTimeoutError';
}
export class ReplyTooLargeError extends Error {
  override name = 'ReplyTooLargeError';
}

/** Node's HTTP parser refuses headers over 16 KiB: what sent them is no Function Compute answer. */
function tooLargeHeaders(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === 'HPE_HEADER_OVERFLOW';
}

/** One request over the client's keep-alive agent, bounded in time and size. */
export function send(
  url: URL,
  method: string,
  headers: Record<string, string | number>,
  body: Buffer | undefined,
  agent: http.Agent,
  timeoutMs: number,
): Promise<RawReply> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<RawReply>((resolve, reject) => {
    const req = transport.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_REPLY_BYTES) req.destroy(new ReplyTooLargeError('reply over the size cap'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new InvokeTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(tooLargeHeaders(err) ? new ReplyTooLargeError('reply headers over the size cap') : err));
    req.end(body);
  });
}
