/**
 * Runs after every test file: no captured log line may hold a full phone number of the seed data, an
 * AccessKeyId, secret or token handed out in that file, or a signature.
 */
import { afterAll, expect } from 'vitest';
import seed from '../../lib/dev/sandbox-bindings.json';
import { allLogLines, issuedSecrets } from './harness';

const PHONE_KEYS = ['PhoneNoA', 'PhoneNoB', 'PhoneNoX'] as const;
export const SEED_PHONES = [
  ...new Set(
    seed.bindings.flatMap((b) => PHONE_KEYS.map((k) => (b as Record<string, unknown>)[k]).filter((v): v is string => typeof v === 'string' && v !== '')),
  ),
];

afterAll(() => {
  const joined = allLogLines.join('');
  for (const phone of SEED_PHONES) expect(joined, `a log line holds the full number ${phone.slice(0, 3)}…`).not.toContain(phone);
  for (const secret of issuedSecrets) expect(joined.includes(secret), 'a log line holds a credential').toBe(false);
  expect(joined).not.toMatch(/Signature=|SecurityToken=|Authorization/i);
  // Shapes of the sandbox's STS credentials, for those handed out where the test could not register them.
  expect(joined).not.toMatch(/STS\.[0-9a-f]{24}|CAIS[A-Za-z0-9+/=]{40,}/);
});
