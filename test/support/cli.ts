/**
 * The operator's command line as a child process, for the tests: `node .dev/cli-test.mjs` (scripts/cli.ts,
 * built by the global setup) with the arguments, a stdin, and an environment that holds only what is given
 * (credentials, HOME) and switches off the chain's ECS metadata lookup, which has no server here.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';

export const CLI_ENTRY = '.dev/cli-test.mjs';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  stdin?: string;
  /** Called once the process is started: a test that signals it mid-run. */
  started?: (child: ChildProcess) => void;
  timeoutMs?: number;
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  // eslint-disable-next-line no-restricted-properties -- the child gets PATH and nothing else of this environment.
  const path = process.env.PATH ?? '';
  return { PATH: path, HOME: '/nonexistent', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...extra };
}

/** The command on a pseudo-terminal (util-linux's script(1)), as a person sees it: stdout and stderr together. */
export function runCliOnTerminal(args: readonly string[], env: Record<string, string>): Promise<string> {
  const command = [process.execPath, CLI_ENTRY, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', command, '/dev/null'], { env: childEnv(env), timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(options.stdin ?? '');
    options.started?.(child);
  });
}
