/**
 * The deployed query function's core, for its entry point (functions/query-subscription-detail) and for tests.
 */
export { type ConfigResult, FUNCTION_ENV_KEYS, loadFunctionConfig, parseFunctionConfig } from './config';
export { createHandler, type Handler, type HandlerDeps } from './handler';
