/**
 * One JSON object per line on stdout. `process.stdout.write`, not `console.log`: FC prefixes console lines
 * with text, which breaks SLS JSON indexing. Callers pass only fields they chose; there is no "log the event"
 * helper on purpose (events carry headers, which can carry Authorization).
 */
import type { LogLevel } from './config';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` (the FC requestId, the function name). */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(line);
};

/**
 * Keeps at most the first 3 and last 4 digits of a phone number: `17000000000` → `170****0000`.
 * Short numbers keep less, so that never more than half of the digits show.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}****${digits.slice(-2)}`;
  return '****';
}

/** Masks every run of 7 or more digits in free text (upstream messages can quote numbers). */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d{7,}/g, (run) => maskPhone(run) ?? '****');
}

export function createLogger(options: { level: LogLevel; sink?: LogSink; base?: LogFields; now?: () => Date }): Logger {
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? (() => new Date());
  const threshold = RANK[options.level];
  const base = options.base ?? {};

  function write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[level] < threshold) return;
    try {
      sink(`${JSON.stringify({ level, time: now().toISOString(), msg, ...base, ...fields })}\n`);
    } catch {
      // A closed or full stdout must not turn an answer into a failure.
    }
  }

  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}
