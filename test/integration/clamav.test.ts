import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../agent/probes/exec.js';
import { collectAntivirus, type AntivirusValue } from '../../agent/probes/host/linux/antivirus.js';
import { queryClamd } from '../../agent/probes/host/linux/clamd-client.js';
import { createLinuxContext } from '../../agent/probes/host/linux/context.js';
import type { ProbeContext } from '../../agent/probes/probe.js';
import { hostFacts } from '../../report/facts/host.js';
import { silentLogger } from '../agent/probes/host/linux/support.js';
import { BUNDLED_RULE_DIRS, evaluateTarget, loadRules, type RuleSet } from '../../rules/engine/index.js';
import { requirePrograms } from '../support/require.js';
import { MARKER_SIGNATURE, MARKER_TEXT, startClamd, type ClamdServer } from '../support/servers/clamd.js';

const DAY_MS = 86_400_000;
const hasClamd = requirePrograms('ClamAV', ['clamd']);

/** The probe exactly as the agent runs it, pointed at the test clamd's config file. */
async function probe(server: ClamdServer): Promise<{ value: AntivirusValue; source: string }> {
  const ctx: ProbeContext = { exec: runCommand, readFile: (p) => readFile(p, 'utf8'), now: () => new Date(), logger: silentLogger };
  const observation = await collectAntivirus(createLinuxContext(ctx, { timeoutMs: 3_000, clamav: { configFile: server.configFile } }));
  expect(hostFacts.antivirus.value.safeParse(observation.value).error?.issues ?? []).toEqual([]);
  return observation;
}

function clamav(value: AntivirusValue): AntivirusValue['products'][number] {
  const product = value.products.find((p) => p.kind === 'clamav');
  if (!product) throw new Error(`no ClamAV product in ${JSON.stringify(value)}`);
  return product;
}

let ruleSet: RuleSet | undefined;

/**
 * The findings the bundled AV rules give for a fact. Linux servers run ClamAV without
 * on-access scanning, so the kommun turns requireRealTimeProtection off for them.
 */
async function judge(observation: { value: AntivirusValue; source: string }): Promise<Record<string, string>> {
  ruleSet ??= await loadRules(BUNDLED_RULE_DIRS);
  const fact = { name: 'antivirus', status: 'ok' as const, source: observation.source, collectedAt: new Date().toISOString(), value: observation.value };
  const params = { 'BV-AV-001': { requireRealTimeProtection: false }, 'BV-AV-002': { requireRealTimeProtection: false } };
  const results = evaluateTarget(ruleSet, { kind: 'host', id: 'h', name: 'h', facts: [fact] }, { now: new Date(), params });
  return Object.fromEntries(results.filter((r) => r.ruleId.startsWith('BV-AV-')).map((r) => [r.ruleId, r.status]));
}

/** Whole seconds: the database header keeps the build time to the second. */
function ago(ms: number): Date {
  return new Date(Math.floor((Date.now() - ms) / 1000) * 1000);
}

describe.runIf(hasClamd)('antivirus fact against a real clamd', () => {
  describe('clamd running with fresh signatures', () => {
    let server: ClamdServer;
    const buildTime = ago(2 * 3_600_000);
    beforeAll(async () => {
      server = await startClamd({ database: { buildTime, version: 27456 } });
    });
    afterAll(async () => server?.dispose());

    it('reports clamd running with the database date from its VERSION reply', async () => {
      const { value, source } = await probe(server);
      const product = clamav(value);
      expect(product).toMatchObject({ kind: 'clamav', installed: true, running: true, signatureVersion: '27456', realTimeProtection: false });
      expect(product.name).toMatch(/^ClamAV \d+\.\d+/);
      expect(product.signatureDate).toBe(buildTime.toISOString());
      expect(product.signatureAgeDays).toBeCloseTo(2 / 24, 2);
      expect(source).toContain('clamd VERSION');
      expect(await judge({ value: { products: [product] }, source })).toEqual({ 'BV-AV-001': 'pass', 'BV-AV-002': 'pass' });
    });

    it('is a working scanner: the generated signature detects the marker file', async () => {
      const file = join(server.dir, 'marker.txt');
      writeFileSync(file, `${MARKER_TEXT}\n`);
      const reply = await queryClamd({ kind: 'unix', path: server.socket }, `SCAN ${file}`, 5_000);
      expect(reply).toBe(`${file}: ${MARKER_SIGNATURE}.UNOFFICIAL FOUND`);
    });
  });

  describe('clamd running with stale signatures', () => {
    let server: ClamdServer;
    const buildTime = ago(10 * DAY_MS);
    beforeAll(async () => {
      server = await startClamd({ database: { buildTime, version: 27001 } });
    });
    afterAll(async () => server?.dispose());

    it('reports the real age of ten-day-old signatures', async () => {
      const observation = await probe(server);
      const product = clamav(observation.value);
      expect(product.running).toBe(true);
      expect(product.signatureVersion).toBe('27001');
      expect(await judge(observation)).toEqual({ 'BV-AV-001': 'pass', 'BV-AV-002': 'fail' });
      expect(product.signatureAgeDays).toBeGreaterThan(9.99);
      expect(product.signatureAgeDays).toBeLessThan(10.01);
    });

    it('after clamd stops: not running, signature date read from the database header', async () => {
      await server.stop();
      const { value, source } = await probe(server);
      const product = clamav(value);
      expect(product.running).toBe(false);
      expect(product.installed).toBe(true);
      expect(product.signatureDate).toBe(buildTime.toISOString());
      expect(product.signatureAgeDays).toBeCloseTo(10, 1);
      expect(source).toContain('database header');
      // A stopped scanner fails BV-AV-001; signature age only matters for a working one.
      expect(await judge({ value, source })).toEqual({ 'BV-AV-001': 'fail', 'BV-AV-002': 'not_applicable' });
    });
  });

  describe('missing signature database', () => {
    it('clamd refuses to start, and the probe reports it stopped with no signatures', async () => {
      await expect(startClamd({ database: null, readyTimeoutMs: 15_000 })).rejects.toThrow(/did not start/);
      // The probe's view of the same setup: a config whose database directory is empty.
      const server = await startClamd({ database: { buildTime: ago(0), version: 1 } });
      try {
        await server.stop();
        rmSync(join(server.databaseDir, 'daily.cud'));
        const { value, source } = await probe(server);
        expect(clamav(value)).toMatchObject({ installed: true, running: false, signatureDate: null, signatureAgeDays: null, signatureVersion: null });
        expect(source).toContain('no signature database');
        expect(await judge({ value, source })).toEqual({ 'BV-AV-001': 'fail', 'BV-AV-002': 'not_applicable' });
      } finally {
        await server.dispose();
      }
    });
  });
});
