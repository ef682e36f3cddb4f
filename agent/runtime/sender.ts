import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { silentLogger } from '../../common/logger.js';
import type { AgentCredential } from '../../report/api.js';
import type { Spool } from '../spool/spool.js';
import type { CollectorClient, SendResult } from '../transport/client.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { realTimers, type Timers } from './timers.js';

export type SenderState = 'idle' | 'sending' | 'waiting' | 'unauthorized' | 'no-credential' | 'stopped';

export interface SenderOptions {
  spool: Spool;
  client: Pick<CollectorClient, 'sendReport'>;
  /** The current credential; re-read each round so a new enrollment takes effect. */
  credential: () => Promise<AgentCredential>;
  logger?: Logger;
  timers?: Timers;
  backoff?: BackoffOptions;
}

export interface RoundResult {
  outcome: 'drained' | 'retry' | 'unauthorized' | 'no-credential' | 'stopped' | 'error';
  delivered: number;
  rejected: number;
  /** Set when a retry was scheduled. */
  retryInMs?: number;
}

/**
 * Drains the spool to the collector, oldest report first. A report leaves the spool only
 * after the collector has confirmed it (accepted or duplicate) or refused it for good
 * (then it moves to rejected/). When the collector cannot be reached the round stops and
 * the next one is scheduled with exponential backoff; any success resets the backoff.
 */
export class Sender {
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private current?: Promise<RoundResult>;
  private timer?: unknown;
  private again = false;
  private stopping = false;
  private refusedCredential?: string;
  private currentState: SenderState = 'idle';
  private retryInMs?: number;

  constructor(private readonly options: SenderOptions) {
    this.logger = options.logger ?? silentLogger;
    this.timers = options.timers ?? realTimers;
    this.backoff = new Backoff(options.backoff);
  }

  get state(): SenderState {
    return this.currentState;
  }

  /** Delay of the scheduled retry, while one is scheduled. */
  get nextRetryInMs(): number | undefined {
    return this.timer === undefined ? undefined : this.retryInMs;
  }

  /** Send now, without waiting; errors are logged. A pending backoff wait is cut short. */
  trigger(): void {
    void this.drain();
  }

  /**
   * Runs a round now and resolves when it ends. If a round is already running, it will
   * look at the spool once more before it ends, and that round's result is returned.
   */
  drain(): Promise<RoundResult> {
    if (this.stopping) return Promise.resolve({ outcome: 'stopped', delivered: 0, rejected: 0 });
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.cancelTimer();
    const round = this.round()
      .catch((error: unknown): RoundResult => {
        const delay = this.scheduleRetry();
        this.logger.error({ err: error, retryInMs: delay }, `Fel vid sändning av rapporter; nytt försök om ${seconds(delay)} (error while sending reports)`);
        return { outcome: 'error', delivered: 0, rejected: 0, retryInMs: delay };
      })
      .finally(() => {
        this.current = undefined;
      });
    this.current = round;
    return round;
  }

  /** Lets the report being sent finish, then stops; nothing more is sent or scheduled. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelTimer();
    await this.current;
    this.currentState = 'stopped';
  }

  private async round(): Promise<RoundResult> {
    const { spool, client } = this.options;
    let delivered = 0;
    let rejected = 0;
    this.currentState = 'sending';

    let credential: AgentCredential;
    try {
      credential = await this.options.credential();
    } catch (error) {
      const delay = this.scheduleRetry();
      this.currentState = 'no-credential';
      this.logger.error(
        { retryInMs: delay },
        `Rapporter kan inte skickas: ${error instanceof Error ? error.message : String(error)} — nytt försök om ${seconds(delay)} (no usable credential)`,
      );
      return { outcome: 'no-credential', delivered, rejected, retryInMs: delay };
    }
    const fingerprint = fingerprintOf(credential);
    if (this.refusedCredential === fingerprint) {
      this.currentState = 'unauthorized';
      this.logger.warn(
        { pending: spool.usage().pending },
        'Rapporter skickas inte: insamlaren har avvisat agentens inloggning. Registrera agenten på nytt med "basvakt enroll" (waiting for re-enrollment)',
      );
      return { outcome: 'unauthorized', delivered, rejected };
    }
    this.refusedCredential = undefined;

    for (;;) {
      this.again = false;
      const entries = await spool.list();
      if (entries.length === 0) {
        if (this.again) continue;
        this.currentState = 'idle';
        return { outcome: 'drained', delivered, rejected };
      }
      for (const entry of entries) {
        if (this.stopping) {
          this.currentState = 'stopped';
          return { outcome: 'stopped', delivered, rejected };
        }
        const report = await spool.read(entry.reportId);
        if (!report) continue; // vanished or damaged; the spool has dealt with it

        if (report.agent?.id !== credential.agentId) {
          // The collector refuses a report under another agent's credential; after a new enrollment the old ones wait for a human.
          await spool.reject(
            entry.reportId,
            `Rapporten skapades av agent "${String(report.agent?.id)}" men agenten är nu registrerad som "${credential.agentId}"; den kan inte skickas med den nya inloggningen (report belongs to a previous enrollment)`,
          );
          rejected += 1;
          continue;
        }

        const result = await client.sendReport(report, credential);
        switch (result.kind) {
          case 'accepted':
          case 'duplicate':
            await spool.remove(entry.reportId);
            this.backoff.reset();
            delivered += 1;
            this.logger.info({ reportId: entry.reportId, status: result.kind }, 'Rapport levererad (report delivered)');
            break;
          case 'rejected':
            await spool.reject(entry.reportId, describeRejection(result));
            rejected += 1;
            this.logger.error(
              { reportId: entry.reportId, status: result.status, problems: result.problems.slice(0, 10) },
              `Insamlaren avvisade rapporten (HTTP ${result.status}): ${result.message}. Den sparas i rejected/ och skickas inte igen (report rejected)`,
            );
            break;
          case 'unauthorized':
            this.refusedCredential = fingerprint;
            this.currentState = 'unauthorized';
            this.logger.error(
              { status: result.status, agentId: credential.agentId, pending: spool.usage().pending },
              `Insamlaren avvisade agentens inloggning (HTTP ${result.status}): ${result.message}. Rapporterna ligger kvar i spoolen; registrera agenten på nytt med "basvakt enroll" (credential refused, re-enroll needed)`,
            );
            return { outcome: 'unauthorized', delivered, rejected };
          case 'retry': {
            const delay = this.scheduleRetry(result.retryAfterMs);
            this.logger.warn(
              { reason: result.reason, status: result.status, retryInMs: delay, pending: spool.usage().pending },
              `Insamlaren kan inte ta emot rapporter just nu: ${result.reason}; nytt försök om ${seconds(delay)} (collector unavailable, will retry)`,
            );
            return { outcome: 'retry', delivered, rejected, retryInMs: delay };
          }
        }
      }
    }
  }

  private scheduleRetry(retryAfterMs?: number): number {
    const delay = this.backoff.next(retryAfterMs);
    this.cancelTimer();
    if (this.stopping) return delay;
    this.currentState = 'waiting';
    this.retryInMs = delay;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.trigger();
    }, delay);
    return delay;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function describeRejection(result: Extract<SendResult, { kind: 'rejected' }>): string {
  const lines = [`Insamlaren avvisade rapporten med HTTP ${result.status}: ${result.message}`];
  for (const p of result.problems) lines.push(`  ${p.path || '(hela rapporten)'}: ${p.message}`);
  return lines.join('\n');
}

function fingerprintOf(credential: AgentCredential): string {
  return createHash('sha256').update(`${credential.agentId}\u0000${credential.secret}`).digest('hex');
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6_000) / 10} min` : `${Math.round(ms / 100) / 10} s`;
}
