// `npm run cli -- <command> [flags]`: the operator's command line (lib/cli) from this repository, where it also
// has --local: the embedded sandbox, the built function and the local FC invoke API, all in this process.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliLocalStack } from '../lib/dev/cli-local';
import { processIo } from '../lib/cli/io';
import { main } from '../lib/cli/main';
import { BUNDLE_PATH } from '../lib/dev/stack';

// This file runs as .dev/cli.mjs (scripts/run-ts.mjs): the repository is one up. npm runs scripts from there,
// but the operator's file names are relative to where they typed (INIT_CWD).
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const local = cliLocalStack(resolve(repo, BUNDLE_PATH), resolve(repo, '.dev/cli-local.log'));
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await main(process.argv.slice(2), { io: processIo(), local });
