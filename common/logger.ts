import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths that may hold a secret anywhere in a log record. pino replaces them before
 * the record is written, so a credential never reaches a log file.
 */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'credential',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.credential',
  '*.authorization',
  '*.bindPassword',
  '*.community',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'config.collector.token',
];

export function createLogger(options: LoggerOptions & { destination?: number | string } = {}): Logger {
  const { destination, ...rest } = options;
  return pino(
    {
      level: process.env.BASVAKT_LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[dolt]' },
      base: { app: 'basvakt' },
      ...rest,
    },
    pino.destination({ dest: destination ?? 2, sync: true }),
  );
}

/** A logger that drops everything, for tests and for commands that print their own output. */
export const silentLogger: Logger = pino({ level: 'silent' });
