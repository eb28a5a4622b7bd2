/**
 * The OpenAPI 3.1 document: generated from the zod schemas, committed, valid, and true to what the function returns.
 */
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../lib/dev/openapi';
import { DEMO, directEvent, fcContext, httpEvent } from '../support/fc';
import { asHttp, type Harness, startHarness } from '../support/harness';

const FILE = 'functions/query-subscription-detail/openapi.json';
const committed = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown> & {
  components: { schemas: Record<string, object> };
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DYPLS_TIMEOUT_MS: '300', DYPLS_MAX_ATTEMPTS: '1' });
});
afterAll(() => h.close());

describe('the OpenAPI document', () => {
  it('is the generator output (run `npm run openapi` after changing a schema or the status table)', () => {
    expect(committed).toEqual(buildOpenApiDocument());
  });

  it('validates as OpenAPI 3.1', async () => {
    const api = await SwaggerParser.validate(structuredClone(committed) as never);
    expect((api as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('describes what the function really answers', async () => {
    // Prepare: the document's schemas, compiled as JSON Schema 2020-12.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const [name, schema] of Object.entries(committed.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const success = ajv.getSchema('#/components/schemas/SuccessEnvelope');
    const failure = ajv.getSchema('#/components/schemas/ErrorEnvelope');
    const request = ajv.getSchema('#/components/schemas/QueryRequest');
    const documented = committed.paths['/']?.get?.responses ?? {};
    const cases: Record<string, string>[] = [
      { ...DEMO },
      { poolKey: DEMO.poolKey, subsId: '1000000768798833', phoneNoX: '17000000001' },
      { poolKey: DEMO.poolKey, subsId: '1000000768798835', phoneNoX: '17000000003' },
      { poolKey: DEMO.poolKey, subsId: '1000000768798837', phoneNoX: '17000000005' },
      { poolKey: DEMO.poolKey, subsId: '1000000768798840', phoneNoX: '17000000008' },
      { productType: 'AXB_170', subsId: '1000000768798838', phoneNoX: '17000000006' },
      { ...DEMO, subsId: 'x' },
      { ...DEMO, subsId: '9990000000000001' },
      { ...DEMO, subsId: '9990000000000003' },
      { ...DEMO, subsId: '9991000000000015' },
      { ...DEMO, subsId: '9991000000000013' },
      { ...DEMO, subsId: '9990000000000013' },
      { ...DEMO, subsId: '4000000000000000' },
    ];
    for (const query of cases) {
      // Act
      const res = asHttp(await h.handler(httpEvent({ query }), fcContext(h.credentials)));
      // Assess
      const validate = res.json.ok ? success : failure;
      expect(validate?.(res.json), `${JSON.stringify(query)}: ${JSON.stringify(validate?.errors)}`).toBe(true);
      expect(Object.keys(documented), `status ${res.statusCode} is documented`).toContain(String(res.statusCode));
      if (res.json.ok) expect(request?.(query)).toBe(true);
    }
    const direct = await h.handler(directEvent(DEMO), fcContext(h.credentials));
    expect(success?.(direct)).toBe(true);
    // Finds and batches: their requests and answers, against their own schemas.
    const findOk = ajv.getSchema('#/components/schemas/FindSuccessEnvelope');
    const batchOk = ajv.getSchema('#/components/schemas/BatchSuccessEnvelope');
    const findRequest = ajv.getSchema('#/components/schemas/FindRequest');
    const batchRequest = ajv.getSchema('#/components/schemas/BatchRequest');
    for (const x of ['17000000010', '17000000011', '17000000012']) {
      const find = { poolKey: DEMO.poolKey, phoneNoX: x };
      const answer = await h.handler(directEvent(find), fcContext(h.credentials));
      expect(findOk?.(answer), `${x}: ${JSON.stringify(findOk?.errors)}`).toBe(true);
      expect(findRequest?.(find)).toBe(true);
    }
    const batch = { queries: [{ ...DEMO }, { ...DEMO, subsId: '4000000000000000' }, { ...DEMO, subsId: 'x' }] };
    const answer = await h.handler(directEvent(batch), fcContext(h.credentials));
    expect(batchOk?.(answer), JSON.stringify(batchOk?.errors)).toBe(true);
    expect(batchRequest?.(batch)).toBe(true);
    const methodNotAllowed = asHttp(await h.handler(httpEvent({ method: 'PUT' }), fcContext(h.credentials)));
    expect(failure?.(methodNotAllowed.json)).toBe(true);
  });
});
