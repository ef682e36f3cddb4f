import { readFileSync } from 'node:fs';
import { hostFacts } from '../../../../../report/facts/host.js';

const ROOT = new URL('../../../../fixtures/host/windows/', import.meta.url);

/** The text of a fixture under test/fixtures/host/windows/. */
export function fixture(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

/** Asserts that a value is valid for the host fact of that name, reporting zod's issues if not. */
export function expectValidFact(name: keyof typeof hostFacts, value: unknown): void {
  const result = hostFacts[name].value.safeParse(value);
  if (!result.success) throw new Error(`${name} is not valid: ${JSON.stringify(result.error.issues, null, 2)}`);
}
