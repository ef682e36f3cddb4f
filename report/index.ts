export * from './schema.js';
export { FACT_CATALOGUE, factSpec } from './facts/index.js';
export type { FactSpec, LocalizedText } from './facts/index.js';
export { validateReport, type ValidationResult } from './validate.js';
