import type { z } from 'zod';

export interface LocalizedText {
  sv: string;
  en: string;
}

/** One fact a probe can report: its meaning and the exact shape of its value. */
export interface FactSpec {
  description: LocalizedText;
  value: z.ZodType;
}

export type FactSpecs = Record<string, FactSpec>;
