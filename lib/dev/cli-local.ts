/**
 * `--local` for this repository's `npm run cli`: the whole stack in the process, as `npm run invoke` has it:
 * the embedded Dyplsapi sandbox, the built query bundle, and the local FC invoke API in front of it, which checks
 * ACS3 signatures as Function Compute does, with throwaway STS credentials for the operator. The function's log
 * lines go to a log file (.dev/cli-local.log), so that stdout holds only the command's own output.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LocalStack } from '../cli/main';
import { startDyplsSandbox } from './dyplsapi-sandbox';
import { divertLogLines } from './log-lines';
import { startFcInvokeApi } from './fc-invoke-api';
import { loadBundledHandler } from './stack';

/** The stack, with the bundle and the log file at absolute paths (the command may run anywhere). */
export const cliLocalStack =
  (bundlePath: string, logPath: string): LocalStack =>
  async () => {
    const sandbox = await startDyplsSandbox();
    const fcApi = await startFcInvokeApi();
    let handler: ReturnType<typeof loadBundledHandler>;
    try {
      // The operator's --rps is the budget here: the function's own cap is raised to the batch request's limit.
      handler = loadBundledHandler({ DYPLS_ENDPOINT: sandbox.url, BATCH_MAX_RPS: '1000' }, bundlePath);
    } catch (err) {
      await Promise.all([fcApi.close(), sandbox.close()]);
      throw err;
    }
    mkdirSync(dirname(logPath), { recursive: true });
    const restore = divertLogLines((line) => appendFileSync(logPath, line));
    fcApi.register('query-subscription-detail', { handler, credentials: () => sandbox.issueStsCredentials(), wrapAsHttpEvent: true });
    const operator = fcApi.issueStsCredentials();
    return {
      target: { accountId: fcApi.accountId, region: 'cn-hangzhou', functionName: 'query-subscription-detail', endpoint: fcApi.url, timeoutMs: 15_000 },
      credentials: async () => ({ ok: true, credentials: operator }),
      close: async () => {
        await fcApi.close();
        await sandbox.close();
        restore();
      },
    };
  };
