/**
 * The function's bundles log JSON lines to process.stdout, as on FC. Where a dev tool or a test runs them in its own
 * process, those lines go to `sink` instead (a log file, the privacy check, nowhere), so stdout keeps only the
 * tool's own output. Returns the function that puts stdout back.
 */
export function divertLogLines(sink: (line: string) => void): () => void {
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!text.startsWith('{"level"')) return (realWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    sink(text);
    return true;
  };
  return () => {
    process.stdout.write = realWrite;
  };
}
