/**
 * The FC adapter around the query core, for the function's entry point (functions/query-subscription-detail)
 * and for tests.
 */
export { createHandler, type Handler, type HandlerDeps, type HandlerResult } from './handler';
