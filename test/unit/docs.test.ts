/**
 * The README says what the code does: its request table names exactly the request fields of the schemas, with
 * their wire names and documented limits; its list of what the function retries by itself is what withRetries
 * retries. (The status table has its own test in errors.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../lib/fc/event';
import { MAX_JSON_DEPTH } from '../../lib/shared/json-shape';
import { withRetries } from '../../lib/query/retry';
import type { Attempt } from '../../lib/query/upstream';
import { UPSTREAM_CATALOG, upstreamFailure } from '../../lib/shared/errors';
import { createLogger } from '../../lib/shared/logger';
import { PRODUCT_TYPES, REQUEST_FIELDS } from '../../lib/shared/schemas';

const README = readFileSync('README.md', 'utf8');

/** The README's section under `heading`, to the next heading of any level. */
function section(heading: string): string {
  const start = README.indexOf(heading);
  if (start === -1) throw new Error(`README has no "${heading}"`);
  const rest = README.slice(start + heading.length);
  const end = rest.search(/\n#{2,4} /);
  return end === -1 ? rest : rest.slice(0, end);
}

describe("the README's request table", () => {
  const requestPart = section('## Calling it');
  const table = requestPart.slice(requestPart.indexOf('| Field | Rule |'));
  const rows = table
    .split('\n')
    .slice(2)
    .filter((l) => l.startsWith('| `'));
  const named = rows.flatMap((row) => {
    const [camel = '', wire = ''] = row.split(' | ')[0]?.slice(2).split(' (') ?? [];
    const camels = [...camel.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    const wires = [...wire.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    return camels.map((c, i) => [c, wires[i]]);
  });

  it('names every request field once, with its wire name, and nothing else', () => {
    expect(Object.fromEntries(named)).toEqual(REQUEST_FIELDS);
    expect(named).toHaveLength(Object.keys(REQUEST_FIELDS).length);
  });

  it('gives the limits the code enforces', () => {
    const productRow = rows.find((r) => r.startsWith('| `productType`')) ?? '';
    expect([...productRow.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1])).toEqual([...PRODUCT_TYPES]);
    expect(requestPart).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    expect(requestPart).toContain(`Bodies over ${MAX_BODY_BYTES / 1024} KiB are 413`);
  });
});

describe("the README's list of what the function retries by itself", () => {
  it('is exactly what withRetries retries', async () => {
    const paragraph = /The function retries by itself[^]*?\n\n/.exec(README)?.[0] ?? '';
    const listed = [...paragraph.matchAll(/`([\w.]+)`/g)].map((m) => m[1]).sort();
    const retried: string[] = [];
    for (const e of UPSTREAM_CATALOG) {
      if (e.category === 'throttled') continue;
      const failed: Attempt = {
        ok: false,
        failure: upstreamFailure(e.code, { requestId: null, message: undefined, httpStatus: 200 }),
        reason: { kind: 'code', code: e.code },
      };
      const outcomes: Attempt[] = [failed, { ok: true, requestId: 'R', value: {}, httpStatus: 200 }];
      const budget = { now: () => 0, sleep: async () => {}, random: () => 0, deadline: 10_000 };
      const result = await withRetries(async () => outcomes.shift() ?? failed, {
        maxAttempts: 3,
        timeoutMs: 100,
        budget,
        logger: createLogger({ level: 'error', sink: () => {} }),
      });
      if (result.attempts === 2) retried.push(e.code);
    }
    expect(listed).toEqual(retried.sort());
    expect(paragraph).toContain('throttling at most once');
  });
});
