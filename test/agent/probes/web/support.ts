import type { EndpointsValue, LoginValue, TlsValue } from '../../../../report/facts/web.js';
import type { Fact, Target } from '../../../../report/schema.js';
import { createWebProbe } from '../../../../agent/probes/web/index.js';
import type { WebProbeOptions, WebSystem } from '../../../../agent/probes/web/options.js';
import { createProbeContext } from '../../../../agent/runtime/context.js';
import { createLogger } from '../../../../common/logger.js';
import { reportOf } from '../../../support/directory.js';
import { validateReport } from '../../../../report/validate.js';

/**
 * Runs the web probe on the given systems and checks that every target it reports is valid
 * against the fact catalogue (the strict shapes of report/facts/web.ts), as ingest would.
 */
export async function probe(systems: WebSystem[], options: Omit<WebProbeOptions, 'systems'> = {}): Promise<Target[]> {
  const targets = await createWebProbe({ timeoutMs: 5000, ...options, systems }).collect(createProbeContext(createLogger({ level: 'silent' })));
  for (const target of targets) {
    const validation = validateReport(reportOf(target));
    if (!validation.ok) throw new Error(`target ${target.id} does not match the fact catalogue: ${JSON.stringify(validation.problems).slice(0, 2000)}`);
  }
  return targets;
}

export async function probeOne(system: WebSystem, options: Omit<WebProbeOptions, 'systems'> = {}): Promise<Target> {
  const [target] = await probe([system], options);
  return target!;
}

export function fact(target: Target, name: string): Fact {
  const found = target.facts.find((f) => f.name === name);
  if (!found) throw new Error(`fact ${name} missing from ${target.id}: ${target.facts.map((f) => f.name).join(', ')}`);
  return found;
}

function value<T>(target: Target, name: string): T {
  const f = fact(target, name);
  if (f.status !== 'ok') throw new Error(`fact ${name} is ${f.status}: ${f.reason}`);
  return f.value as T;
}

export const login = (target: Target) => value<LoginValue>(target, 'login');
export const tls = (target: Target) => value<TlsValue>(target, 'tls');
export const endpoints = (target: Target) => value<EndpointsValue>(target, 'endpoints').endpoints;

/** The reason of a fact that must have failed. */
export function failure(target: Target, name: string): string {
  const f = fact(target, name);
  if (f.status === 'ok') throw new Error(`fact ${name} is ok: ${JSON.stringify(f.value).slice(0, 500)}`);
  return f.reason;
}
