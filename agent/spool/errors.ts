export type SpoolFullReason = 'reports' | 'bytes' | 'too-large' | 'disk';

/**
 * The spool refused a new report. The caller logs it as an error and carries on; the
 * reports already in the spool are kept (see spool.ts for why the newest is refused).
 */
export class SpoolFullError extends Error {
  constructor(
    readonly reason: SpoolFullReason,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SpoolFullError';
  }
}
