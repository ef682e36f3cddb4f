export { buildReport, type ReportMeta } from './report.js';
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { Sender, type SenderOptions, type SenderState, type RoundResult } from './sender.js';
export { Scheduler, nodeCronFactory, type CronFactory, type CronTask, type Job, type SchedulerOptions } from './scheduler.js';
export { probeRun, scanOnce, ScanError, type ProbeRunDeps, type ScanMeta } from './collect.js';
export { createProbeContext } from './context.js';
export { CredentialSource } from './credential-source.js';
export { runAgent, type AgentDeps, type AgentHandle, type SignalSource } from './daemon.js';
export { realTimers, type Timers } from './timers.js';
