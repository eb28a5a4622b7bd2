/**
 * What the command line touches of the process, passed in: its streams, its environment, Ctrl-C, the clock.
 * The package's entry (./bin.ts) and this repository's (scripts/cli.ts) hand over the real ones.
 */
export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Calls `handler` on SIGINT or SIGTERM until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The process's own streams, environment, signals and clock. */
export function processIo(): Io {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    // eslint-disable-next-line no-restricted-properties -- the one place the command line reads its environment.
    env: process.env,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: () => Math.random(),
  };
}
