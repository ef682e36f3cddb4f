import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { InputFileError } from '../../../common/yaml.js';

export const EXAMPLE_YAML = fileURLToPath(new URL('../../../config/system-register.example.yaml', import.meta.url));
export const EXAMPLE_CSV = fileURLToPath(new URL('../../../config/system-register.example.csv', import.meta.url));
/** The day the tests take as today; the example's dates are set around it. */
export const TODAY = '2026-11-23';

/** A fresh temporary folder for the tests of this file, removed afterwards. */
export function useTempDir(prefix: string): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** The problems a load refuses with: path, line and message of each. */
export function problemsOf(load: () => unknown) {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(InputFileError);
    return (error as InputFileError).problems.map(({ path, line, message }) => ({ path, line, message }));
  }
  throw new Error('expected the input to be refused');
}
