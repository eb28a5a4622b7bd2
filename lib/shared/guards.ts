/**
 * Generic guards for values of unknown shape (parsed JSON, FC events, pop-core's answers) and for text that is
 * echoed back to a caller. Nothing here knows a request field or an error code.
 */

/** A JSON object: not null, not an array. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A caller-chosen name (a field, a key) as it may appear in an error body: printable ASCII, at most 64 characters. */
export function printableName(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
