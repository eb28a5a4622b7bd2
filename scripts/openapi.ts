// Writes the OpenAPI document generated from the zod schemas; `npm run openapi` after changing a schema or the status table.
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../lib/dev/openapi';

const target = 'functions/query-subscription-detail/openapi.json';
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
