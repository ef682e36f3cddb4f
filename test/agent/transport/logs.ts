import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { REDACTED_PATHS } from '../../../common/logger.js';

/** A logger like production's (same redaction) that keeps every line for assertions. */
export function captureLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[dolt]' } }, stream);
  return { logger, lines, text: () => lines.join('') };
}
