/**
 * The deployed query function's core, for its entry point (functions/query-subscription-detail), the FC adapter
 * (lib/fc) and tests: its settings. The adapter reaches the rest through lib/query/answer.ts.
 */
export { type ConfigResult, FUNCTION_ENV_KEYS, loadFunctionConfig, parseFunctionConfig } from './config';
