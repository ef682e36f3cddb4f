import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when the command was killed (timeout). */
  code: number | null;
}

export interface CommandOptions {
  timeoutMs?: number;
  /** Upper bound on captured output, so a runaway command cannot exhaust memory. */
  maxBytes?: number;
}

/** Runs a program without a shell. Rejects only when the program cannot be started. */
export type CommandRunner = (program: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

export class CommandNotFoundError extends Error {
  constructor(readonly program: string) {
    super(`command not found: ${program}`);
    this.name = 'CommandNotFoundError';
  }
}

export const runCommand: CommandRunner = (program, args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      program,
      [...args],
      {
        timeout: options.timeoutMs ?? 10_000,
        maxBuffer: options.maxBytes ?? 16 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        // Parsers expect the C locale's wording and number format.
        env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new CommandNotFoundError(program));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code: error?.killed ? null : code });
      },
    );
  });
