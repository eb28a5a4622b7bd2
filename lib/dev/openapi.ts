/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and shape answers.
 * `npm run openapi` writes it to functions/query-subscription-detail/openapi.json (committed, served by the
 * function at GET …/openapi.json); a test fails when the committed file and this generator disagree.
 * Not in the handler's hot path: the handler imports the committed JSON, not this module.
 */
import * as z from 'zod/mini';
import { CATEGORIES, FUNCTION_CODES, UPSTREAM_CATALOG } from '../shared/errors';
import { batchSuccessEnvelopeSchema, errorEnvelopeSchema, findSuccessEnvelopeSchema, successEnvelopeSchema } from '../shared/answers';
import { MAX_BATCH_RPS } from '../shared/request';
import { findRequestSchema, MAX_BATCH_ITEMS, PRODUCT_TYPES, REQUEST_FIELDS, requestSchema } from '../shared/schemas';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as JsonObject;
  return rest;
}

/** Codes per HTTP status, for the response descriptions. */
function codesByStatus(): Map<number, string[]> {
  const map = new Map<number, string[]>();
  const add = (status: number, code: string) => map.set(status, [...(map.get(status) ?? []), code]);
  for (const [code, spec] of Object.entries(FUNCTION_CODES)) add(spec.status, code);
  for (const entry of UPSTREAM_CATALOG) add(CATEGORIES[entry.category].status, entry.code);
  return map;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The responses of the query operation: 200 with the three success envelopes, then every error status with its codes. */
function responsesOf(): Record<string, JsonObject> {
  const responses: Record<string, JsonObject> = {
    '200': {
      description: 'A lookup found its binding; a find listed the bindings of X (possibly none); a batch ran (each result says how its item went).',
      headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
      content: { 'application/json': { schema: { oneOf: [ref('SuccessEnvelope'), ref('FindSuccessEnvelope'), ref('BatchSuccessEnvelope')] } } },
    },
  };
  for (const [status, codes] of [...codesByStatus()].sort(([a], [b]) => a - b)) {
    const headers: JsonObject = { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } };
    if (status === 429) headers['Retry-After'] = { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } };
    if (status === 405) headers.Allow = { schema: { type: 'string' } };
    responses[String(status)] = {
      description: `error.code is one of: ${codes.join(', ')}${status === 502 ? ', or any upstream code this function does not know' : ''}.`,
      headers,
      content: { 'application/json': { schema: ref('ErrorEnvelope') } },
    };
  }
  return responses;
}

/** The query operation for GET or POST, with every request field as a query parameter. */
function operationOf(method: 'get' | 'post', requestBody: JsonObject, findBody: JsonObject): JsonObject {
  const parameters = (Object.keys(REQUEST_FIELDS) as (keyof typeof REQUEST_FIELDS)[]).map((name) => {
    const property = (requestBody.properties as Record<string, JsonObject>)[name] ?? (findBody.properties as Record<string, JsonObject>)[name] ?? {};
    return {
      name,
      in: 'query',
      required: false,
      description: `${String(property.description ?? '')} Also accepted as ${REQUEST_FIELDS[name]}.`,
      schema: name === 'productType' ? { type: 'string', enum: [...PRODUCT_TYPES] } : { type: 'string' },
    };
  });
  const body = {
    requestBody: { required: false, content: { 'application/json': { schema: { oneOf: [ref('QueryRequest'), ref('FindRequest'), ref('BatchRequest')] } } } },
  };
  return {
    operationId: method === 'get' ? 'querySubscriptionDetailGet' : 'querySubscriptionDetailPost',
    summary: 'Look up a privacy-number binding by SubsId, find every binding of an X number, or look up a batch.',
    description:
      'A lookup gives exactly one of poolKey and productType, plus subsId and phoneNoX (Dyplsapi QuerySubscriptionDetail). ' +
      'Without subsId it is a find: every binding of phoneNoX (QuerySubsId, then each detail), optionally only those whose ' +
      `A and B match phoneNoA and phoneNoB. A POST body {"queries": [...]} with 1 to ${MAX_BATCH_ITEMS} lookups is a batch. ` +
      'Fields may be camelCase or PascalCase; a POST merges the query string and the JSON body (not for a batch). ' +
      'With PHONE_NUMBER_OUTPUT=masked the function answers A and B masked. Every path except …/openapi.json serves this operation.',
    parameters,
    ...(method === 'post' ? body : {}),
    responses: responsesOf(),
  };
}

export function buildOpenApiDocument(): JsonObject {
  const requestBody = schemaOf(requestSchema, 'input');
  const findBody = schemaOf(findRequestSchema, 'input');
  return {
    openapi: '3.1.0',
    info: {
      title: 'dypls-query',
      version: '1.0.0',
      description: "Function Compute 3.0 function that looks up a Phone Number Protection (号码隐私保护) binding with the function role's STS credentials.",
    },
    servers: [{ url: 'http://127.0.0.1:9000', description: 'npm start (local gateway and Dyplsapi sandbox)' }],
    paths: {
      '/': { get: operationOf('get', requestBody, findBody), post: operationOf('post', requestBody, findBody) },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This document.',
          responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      schemas: {
        QueryRequest: requestBody,
        FindRequest: findBody,
        BatchRequest: {
          type: 'object',
          properties: {
            queries: { type: 'array', minItems: 1, maxItems: MAX_BATCH_ITEMS, items: ref('QueryRequest') },
            maxRps: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_BATCH_RPS,
              description:
                'Requests per second this batch may send, retries included (BATCH_MAX_RPS still caps it): a caller running several batches at once shares one budget.',
            },
          },
          required: ['queries'],
          additionalProperties: false,
        },
        SuccessEnvelope: schemaOf(successEnvelopeSchema, 'output'),
        FindSuccessEnvelope: schemaOf(findSuccessEnvelopeSchema, 'output'),
        BatchSuccessEnvelope: schemaOf(batchSuccessEnvelopeSchema, 'output'),
        ErrorEnvelope: schemaOf(errorEnvelopeSchema, 'output'),
      },
    },
  };
}
