export { AGENT_SPOOL_FACT, Spool, type SpoolEntry, type SpoolOptions, type SpoolUsage } from './spool.js';
export { SpoolFullError, type SpoolFullReason } from './errors.js';
export type { SpoolIo } from './fs.js';
