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
