// The 13 fields of a binding, as the function answers them for the happy path, written for speed: the
// reference handlers' share of the job (the bench checks they answer the same bytes as the function).
type Dto = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const date = (v: unknown): string | null => (typeof v === 'string' && v.length === 19 ? `${v.slice(0, 10)}T${v.slice(11)}+08:00` : null);
const group = (v: unknown): string | null => {
  const s = v === undefined || v === null ? '' : typeof v === 'object' ? (v as { toFixed(): string }).toFixed() : String(v);
  return s === '' || s === '0' ? null : s;
};

export function normalize(d: Dto) {
  return {
    subsId: text(d.SubsId),
    phoneNoA: text(d.PhoneNoA),
    phoneNoB: text(d.PhoneNoB),
    phoneNoX: text(d.PhoneNoX),
    extension: text(d.Extension),
    groupId: group(d.GroupId),
    gmtCreate: date(d.GmtCreate),
    expireDate: date(d.ExpireDate),
    needRecord: bool(d.NeedRecord),
    status: d.Status === 1 ? 'ACTIVE' : d.Status === 0 ? 'INACTIVE' : 'UNKNOWN',
    callRestrict: text(d.CallRestrict),
    asrStatus: bool(d.ASRStatus),
    asrModelId: text(d.ASRModelId),
  };
}

export interface Ctx {
  requestId: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
}

/** The four fields of the v1 HTTP event's query string, checked as the function checks the happy path. */
export function fields(event: Buffer): { PoolKey: string; SubsId: string; PhoneNoX: string } {
  const q = (JSON.parse(event.toString()) as { queryParameters: Record<string, string> }).queryParameters;
  const poolKey = q.poolKey ?? '';
  const subsId = q.subsId ?? '';
  const phoneNoX = q.phoneNoX ?? '';
  if (!/^FC\d{1,40}$/.test(poolKey) || !/^\d{1,19}$/.test(subsId) || !/^\d{5,20}$/.test(phoneNoX)) throw new Error('invalid request');
  return { PoolKey: poolKey, SubsId: subsId, PhoneNoX: phoneNoX };
}

export const HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

export function logLine(ctx: Ctx, started: number, requestId: unknown): void {
  process.stdout.write(
    `${JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: 'invocation', requestId: ctx.requestId, status: 200, upstreamRequestId: requestId, durationMs: Date.now() - started })}\n`,
  );
}
