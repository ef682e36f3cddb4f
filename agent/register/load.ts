import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { formatPath } from '../../common/validation.js';
import { InputFileError, parseYaml } from '../../common/yaml.js';
import { problemsWithLines } from '../config/load.js';
import { decodeText } from './encoding.js';
import { importCsvRegister } from './import.js';
import { validateRegister, type LoadedRegister, type RegisterLoadOptions } from './validate.js';

/**
 * Validates register YAML as if read from `file`. Every problem names the file, line and
 * field, all at once; nothing is returned unless the whole file is valid.
 */
export function parseRegisterYaml(text: string, file: string, options: RegisterLoadOptions = {}): LoadedRegister {
  const absolute = resolve(file);
  const parsed = parseYaml(text, absolute);
  const entry = (root: string, index: number) => {
    const line = parsed.lineOf([root, index]);
    return `${root}[${index}]${line !== undefined ? ` på rad ${line}` : ''}`;
  };
  const outcome = validateRegister(parsed.value ?? {}, options, entry);
  if (!outcome.ok) {
    const problems = [
      ...(outcome.error ? problemsWithLines(outcome.error, parsed, outcome.schema) : []),
      ...outcome.cross.map((p) => ({ path: formatPath(p.path), message: p.message, line: parsed.lineOf(p.path) })),
    ];
    throw new InputFileError(absolute, problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  const register = outcome.register;
  return { file: absolute, register, lines: register.systems.map((_, i) => parsed.lineOf(['systems', i]) ?? 0), notes: [] };
}

export function isCsvFile(file: string): boolean {
  return extname(file).toLowerCase() === '.csv';
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'filen finns inte (file not found)' : `kan inte läsas (cannot be read): ${code ?? String(error)}`;
    throw new InputFileError(file, [{ path: '', message }]);
  }
}

/** Reads a register: CSV (by its .csv extension, see import.ts) or YAML. */
export async function loadRegister(file: string, options: RegisterLoadOptions = {}): Promise<LoadedRegister> {
  const absolute = resolve(file);
  const decoded = decodeText(await readBytes(absolute), absolute);
  const loaded = isCsvFile(absolute) ? importCsvRegister(decoded.text, absolute, options) : parseRegisterYaml(decoded.text, absolute, options);
  return { ...loaded, notes: [...decoded.notes, ...loaded.notes] };
}
