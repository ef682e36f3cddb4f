/**
 * The system register (systemförteckning): YAML or CSV in, validated with every problem's
 * file, line and field; out as `system` targets with a `register` fact, or as YAML.
 */
export * from './schema.js';
export { loadRegister, parseRegisterYaml, isCsvFile } from './load.js';
export { validateRegister, type LoadedRegister, type RegisterLoadOptions } from './validate.js';
export { importCsvRegister, slugId } from './import.js';
export { parseCsv, detectDelimiter, type CsvRecord } from './csv.js';
export { decodeText } from './encoding.js';
export { registerToYaml } from './write.js';
export { registerTargets, normalizeEntry, type RegisterTargetOptions } from './targets.js';
export { summarizeRegister, EXPIRY_WARNING_DAYS, type RegisterSummary } from './summary.js';
