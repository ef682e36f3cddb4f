import type { z } from 'zod';
import { swedishErrorMap } from '../config/messages.js';
import { crossCheckRegister, type CrossProblem, type EntryName } from './cross-check.js';
import { createRegisterSchema, todayUtc, type Register, type RegisterSchema } from './schema.js';

export interface LoadedRegister {
  /** Absolute path of the file read. */
  file: string;
  register: Register;
  /** Line of each system's entry in the file, in the order of register.systems. */
  lines: number[];
  /** Things the user should know, such as a file converted from Windows-1252. */
  notes: string[];
}

export interface RegisterLoadOptions {
  /** The latest date a review or test may have (default: today, UTC). */
  today?: string;
  /** CSV only: a YAML register whose tenant, identityProviders and mfaGroups the CSV's systems use. */
  base?: LoadedRegister;
}

export type RegisterValidation =
  | { ok: true; register: Register }
  | { ok: false; schema: RegisterSchema; error?: z.ZodError; cross: CrossProblem[] };

/** The schema and the checks across fields, together: every problem at once. */
export function validateRegister(value: unknown, options: RegisterLoadOptions = {}, name?: EntryName): RegisterValidation {
  const schema = createRegisterSchema(options.today ?? todayUtc());
  const result = schema.safeParse(value, { error: swedishErrorMap });
  const cross = crossCheckRegister(value, name);
  if (result.success && cross.length === 0) return { ok: true, register: result.data };
  return { ok: false, schema, error: result.success ? undefined : result.error, cross };
}
