export * from './schema.js';
export { loadAgentConfig, parseAgentConfig } from './load.js';
export { cronProblem } from './cron.js';
