/**
 * Answers a hostile or broken upstream could send, for the sandbox's reserved SubsIds (9993…): bodies that never
 * end, a gzip bomb, 50 MB bodies, a drip, nested bodies, codes and RequestIds that are not what they claim, and
 * messages that quote phone numbers or the caller's own credentials. Each writes to the response itself.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { gzipSync } from 'node:zlib';

export type HostileKind =
  | 'endless'
  | 'gzipBomb'
  | 'hugeBody'
  | 'hugeArray'
  | 'drip'
  | 'deepBody'
  | 'redirectOk'
  | 'badCode'
  | 'oddRequestId'
  | 'echoCredentials'
  | 'duplicateCode';

export interface HostileFault {
  subsId: string;
  kind: HostileKind;
  /** badCode: the JSON value sent as Code. */
  code?: unknown;
  /** oddRequestId: the RequestId sent. */
  requestId?: string;
  times?: number;
}

/** The caller's credentials as the sandbox saw them, for answers that quote them back. */
export interface SeenCredentials {
  accessKeyId: string;
  securityToken: string | undefined;
}

const MB = 1024 * 1024;

let bombCache: Buffer | undefined;
/** 1 GiB of zeros inflated, about 1 MB on the wire: one gzip member of 1 MiB, 1024 times (gunzip reads every member). */
function gzipBomb(): Buffer {
  if (!bombCache) {
    const member = gzipSync(Buffer.alloc(MB), { level: 9 });
    bombCache = Buffer.concat(Array.from({ length: 1024 }, () => member));
  }
  return bombCache;
}

/** Writes `total` bytes of `chunk` repeats, respecting back-pressure, until done or the client goes away. */
function stream(res: http.ServerResponse, head: string, chunk: string, total: number, tail: string): void {
  let sent = 0;
  res.write(head);
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end(tail);
  };
  pump();
}

function dto(subsId: string): string {
  return `{"SubsId":"${subsId}","PhoneNoA":"15000000000","PhoneNoX":"17000000000","Status":1,"GmtCreate":"2026-01-01 00:00:00","ExpireDate":"2027-01-01 00:00:00","NeedRecord":false}`;
}

interface HostileAnswer {
  fault: HostileFault;
  res: http.ServerResponse;
  credentials: SeenCredentials;
  timers: Set<NodeJS.Timeout>;
  requestId: string;
  json(status: number, body: string, headers?: Record<string, string>): void;
}

function endless({ res, requestId }: HostileAnswer): void {
  // Chunked, no length: 64 KiB at a time for as long as anyone reads.
  res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
  const chunk = ' '.repeat(64 * 1024);
  res.write(`{"Code":"OK","RequestId":"${requestId}","Pad":"`);
  const pump = () => {
    while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
  };
  pump();
}

function drip({ fault, res, timers, requestId }: HostileAnswer): void {
  // A valid answer, one byte every 50 ms: never done within any sensible timeout.
  const body = `{"Code":"OK","RequestId":"${requestId}","SecretBindDetailDTO":${dto(fault.subsId)}}`;
  res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  let i = 0;
  const t = setInterval(() => {
    if (res.destroyed || i >= body.length) {
      clearInterval(t);
      timers.delete(t);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body[i++]);
  }, 50);
  timers.add(t);
}

const ANSWERS: Record<HostileKind, (a: HostileAnswer) => void> = {
  endless,
  drip,
  gzipBomb: ({ res }) => {
    const bomb = gzipBomb();
    res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': bomb.length });
    res.end(bomb);
  },
  // 50 MB of valid JSON, chunked (no Content-Length to refuse up front).
  hugeBody: ({ fault, res, requestId }) => {
    res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
    stream(res, `{"Code":"OK","RequestId":"${requestId}","SecretBindDetailDTO":${dto(fault.subsId).slice(0, -1)},"Pad":"`, 'x'.repeat(MB), 50 * MB, '"}}');
  },
  hugeArray: ({ res, requestId }) => {
    res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
    stream(res, `{"Code":"OK","RequestId":"${requestId}","Pad":[0`, ',0'.repeat(MB / 2), 50 * MB, ']}');
  },
  // Valid JSON nested 20,000 deep, within the size cap: json-bigint recurses once per level.
  deepBody: ({ json, requestId }) =>
    json(200, `{"Code":"OK","RequestId":"${requestId}","SecretBindDetailDTO":{"Deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`),
  redirectOk: ({ fault, json, requestId }) =>
    json(301, `{"Code":"OK","Message":"OK","RequestId":"${requestId}","SecretBindDetailDTO":${dto(fault.subsId)}}`, { Location: 'http://elsewhere.invalid/' }),
  badCode: ({ fault, json, requestId }) => json(200, JSON.stringify({ Code: fault.code, Message: 'code of another shape', RequestId: requestId })),
  oddRequestId: ({ fault, json }) => json(200, JSON.stringify({ Code: 'isv.SUBS_NOT_EXIST', Message: '绑定关系不存在', RequestId: fault.requestId })),
  // Not found, then OK with a detail: a last-wins parser reads a success the first reader never saw.
  duplicateCode: ({ fault, json, requestId }) =>
    json(200, `{"Code":"isv.SUBS_NOT_EXIST","Message":"绑定关系不存在","RequestId":"${requestId}","Code":"OK","SecretBindDetailDTO":${dto(fault.subsId)}}`),
  // The caller's own AccessKeyId percent-encoded and its token in upper case, as a careless gateway might quote them.
  echoCredentials: ({ credentials, json, requestId }) => {
    const message = `denied for ${encodeURIComponent(credentials.accessKeyId)} with token ${(credentials.securityToken ?? '').toUpperCase()}`;
    json(200, JSON.stringify({ Code: 'isv.FORBIDDEN_ACTION', Message: message, RequestId: requestId }));
  },
};

/** Writes the hostile answer. `timers` collects what must be cleared when the sandbox closes. */
export function answerHostile(fault: HostileFault, res: http.ServerResponse, credentials: SeenCredentials, timers: Set<NodeJS.Timeout>): void {
  const json = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  ANSWERS[fault.kind]({ fault, res, credentials, timers, requestId: randomUUID().toUpperCase(), json });
}
