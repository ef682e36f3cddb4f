import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../report/validate.js';
import { runCli } from '../support/cli.js';

describe('basvakt command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows help in Swedish by default and in English on request', async () => {
    const sv = await runCli(['--help']);
    expect(sv.code).toBe(0);
    expect(sv.stdout).toContain('Användning: basvakt <kommando>');
    expect(sv.stdout).toMatch(/scan\s+Skanna nu/);
    const en = await runCli(['scan', '--help', '--lang', 'en']);
    expect(en.stdout).toContain('Usage: basvakt scan');
    expect(en.stdout).toContain('--evaluate');
  });

  it('explains a wrong option or command instead of failing silently', async () => {
    const unknown = await runCli(['scan', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('okänd flagga --frobnicate');
    const format = await runCli(['scan', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format ska vara en av table, json');
    const command = await runCli(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('okänt kommando "frobnicate"');
  });

  it('scans this machine and judges it without a collector (--evaluate --format json)', async () => {
    const result = await runCli(['scan', '--evaluate', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const { report, findings } = JSON.parse(result.stdout) as { report: unknown; findings: { ruleId: string; status: string; evidence: unknown[] }[] };
    const validation = validateReport(report);
    expect(validation.ok, JSON.stringify(validation)).toBe(true);
    expect(findings.length).toBeGreaterThan(5);
    for (const f of findings) expect(['pass', 'fail', 'unknown', 'not_applicable']).toContain(f.status);
    expect(findings.some((f) => f.ruleId === 'BV-AV-001')).toBe(true);
  });

  it('names the file, line and field of a broken agent config', async () => {
    const config = join(dir, 'agent.yaml');
    await writeFile(config, 'collector:\n  url: https://insamlare.test\nprobes:\n  host:\n    schedule: "*/x * * *"\n');
    const result = await runCli(['scan', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toMatch(/rad 5/);
    expect(result.stderr).toContain('probes.host.schedule');
  });

  it('prints the report format as JSON Schema with every fact schema', async () => {
    const result = await runCli(['schema']);
    const schema = JSON.parse(result.stdout) as { $defs: Record<string, unknown>; properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['schemaVersion', 'reportId', 'agent', 'targets']));
    expect(schema.$defs['host.antivirus']).toBeDefined();
    expect(schema.$defs['host.listeningServices']).toBeDefined();
  });

  it('lints and tests the bundled rule packs', async () => {
    const lint = await runCli(['rules', 'lint']);
    expect(lint.code, lint.stdout).toBe(0);
    expect(lint.stdout).toMatch(/0 fel/);
    const test = await runCli(['rules', 'test']);
    expect(test.code, test.stdout).toBe(0);
    expect(test.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('runs the demo end to end: collector on SQLite, enrolled agent, scan, findings by goal', async () => {
    const demoDir = join(dir, 'demo');
    const result = await runCli(['demo', '--dir', demoDir], { timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('5/5');
    expect(result.stdout).toContain('Resultat för Demokommun');
    expect(result.stdout).toMatch(/^AV — /m);
    expect(result.stdout).toContain('Vad du gör nu');
    // Manual controls are listed under their goal with their title, unknown until attested.
    expect(result.stdout).toMatch(/BV-PROC-M01 {2}\S.* — hela organisationen/);

    const again = await runCli(['findings', '--config', join(demoDir, 'collector.yaml'), '--tenant', 'demo', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const stored = JSON.parse(again.stdout) as { findings: { ruleId: string; targetKind: string }[] };
    expect(stored.findings.some((f) => f.targetKind === 'host')).toBe(true);
    expect(stored.findings.some((f) => f.targetKind === 'tenant')).toBe(true);
  });
});
