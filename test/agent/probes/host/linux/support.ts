import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { expect } from 'vitest';
import { CommandNotFoundError, type CommandResult, type CommandRunner } from '../../../../../agent/probes/exec.js';
import type { Observation } from '../../../../../agent/probes/fact.js';
import { createLinuxContext, type LinuxContext, type LinuxContextOverrides, type SystemInfoSource } from '../../../../../agent/probes/host/linux/context.js';
import type { LinuxHostOptions } from '../../../../../agent/probes/host/linux/options.js';
import type { ProbeContext } from '../../../../../agent/probes/probe.js';
import { hostFacts } from '../../../../../report/facts/host.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '../../../../fixtures/host/linux');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export type FakeCommand = CommandResult | 'timeout' | 'not-found' | ((args: readonly string[]) => CommandResult);

export function ok(stdout: string, stderr = ''): CommandResult {
  return { stdout, stderr, code: 0 };
}

export function failed(code: number, stderr: string, stdout = ''): CommandResult {
  return { stdout, stderr, code };
}

/** Commands are keyed by their full command line; anything unlisted is "not installed". */
export function fakeRunner(commands: Record<string, FakeCommand>, calls: string[] = []): CommandRunner {
  return async (program, args) => {
    const line = [program, ...args].join(' ');
    calls.push(line);
    const entry = commands[line] ?? commands[program];
    if (entry === undefined || entry === 'not-found') throw new CommandNotFoundError(program);
    if (entry === 'timeout') return { stdout: '', stderr: '', code: null };
    return typeof entry === 'function' ? entry(args) : entry;
  };
}

export function fakeFiles(files: Record<string, string | Error>): (path: string) => Promise<string> {
  return async (path) => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    if (content instanceof Error) throw content;
    return content;
  };
}

export function permissionDenied(path: string): Error {
  return Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
}

export const NOW = new Date('2026-11-23T12:00:00Z');

export const silentLogger = pino({ level: 'silent' });

export function probeContext(commands: Record<string, FakeCommand>, files: Record<string, string | Error> = {}, calls: string[] = []): ProbeContext {
  return { exec: fakeRunner(commands, calls), readFile: fakeFiles(files), now: () => NOW, logger: silentLogger };
}

export const NO_SYSTEM_INFO: SystemInfoSource = {
  system: async () => ({ manufacturer: '', model: '', virtual: false }),
  chassis: async () => ({ manufacturer: '', model: '', type: '' }),
};

export function linuxContext(
  commands: Record<string, FakeCommand>,
  files: Record<string, string | Error> = {},
  options: LinuxHostOptions = {},
  overrides: LinuxContextOverrides = {},
  calls: string[] = [],
): LinuxContext {
  return createLinuxContext(probeContext(commands, files, calls), options, { systemInfo: NO_SYSTEM_INFO, ...overrides });
}

/** `ps -e -o pid=,comm=` output for the given process names. */
export function psWith(...names: string[]): CommandResult {
  return ok(['    1 init', ...names.map((name, i) => `${100 + i} ${name}`)].join('\n') + '\n');
}

export const PS = 'ps -e -o pid=,comm=';

type HostFactName = keyof typeof hostFacts;

/** Asserts the value matches the fact's schema in report/facts/host.ts and returns it. */
export function validValue<T>(name: HostFactName, observation: Observation<T>): T {
  const result = hostFacts[name].value.safeParse(observation.value);
  expect(result.error?.issues ?? []).toEqual([]);
  expect(observation.source.length).toBeGreaterThan(0);
  return observation.value;
}
