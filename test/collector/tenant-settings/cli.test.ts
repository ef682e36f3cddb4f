import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../collector/store/index.js';
import { runCli } from '../../support/cli.js';
import { customPackDir, TEST_CONTROL } from './helpers.js';

/** `basvakt tenant rules|network-model|attest|controls` against a collector database, as an administrator runs them. */
describe('tenant rule settings and attestations from the command line', () => {
  let dir: string;
  let packDir: string;
  let config: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-tenant-cli-'));
    packDir = customPackDir();
    config = join(dir, 'collector.yaml');
    await writeFile(config, `listen: { host: 127.0.0.1, port: 0 }\ndatabase: { driver: sqlite, path: collector.db }\nrules: { directories: [${JSON.stringify(packDir)}] }\nlog: { level: warn }\n`);
    const added = await runCli(['tenant', 'add', 'amal', '--name', 'Åmåls kommun', '--config', config]);
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(packDir, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runCli([...args, '--config', config]);

  it('refuses a change without --reason, and one with a wrongly typed parameter, naming rule and parameter', async () => {
    const noReason = await cli(['tenant', 'rules', 'set', 'amal', 'BV-AV-002', 'maxSignatureAgeDays=2']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('flaggan --reason krävs');
    const short = await cli(['tenant', 'rules', 'disable', 'amal', 'BV-AV-002', '--reason', 'test']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('reason: skriv varför, minst 10 tecken');
    const badType = await cli(['tenant', 'rules', 'set', 'amal', 'BV-AV-002', 'maxSignatureAgeDays=två', '--reason', 'BITS AV-02 säger två dygn']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('params.BV-AV-002.maxSignatureAgeDays: ska vara ett tal');
    const unknownParam = await cli(['tenant', 'rules', 'set', 'amal', 'BV-AV-002', 'maxAge=2', '--reason', 'BITS AV-02 säger två dygn']);
    expect(unknownParam.stderr).toContain('params.BV-AV-002.maxAge: okänd parameter "maxAge"');
  });

  it('sets, disables, lists and resets a rule, and the audit trail has each change with old and new', async () => {
    const set = await cli(['tenant', 'rules', 'set', 'amal', 'BV-AV-002', 'maxSignatureAgeDays=2', '--reason', 'BITS AV-02: högst två dygn', '--review', '2027-06-30']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('BV-AV-002 för amal: {"maxSignatureAgeDays":2}');
    expect(set.stdout).toContain('Resultaten är bedömda igen');
    expect((await cli(['tenant', 'rules', 'disable', 'amal', 'BV-FW-001', '--reason', 'brandväggen sköts av kommunalförbundet'])).code).toBe(0);
    const list = await cli(['tenant', 'rules', 'list', 'amal']);
    expect(list.stdout).toMatch(/BV-AV-002\tmaxSignatureAgeDays=2\tBITS AV-02: högst två dygn\tcli:\S+ .*granskas 2027-06-30/);
    expect(list.stdout).toMatch(/BV-FW-001\tAVSTÄNGD\tbrandväggen sköts av kommunalförbundet/);
    const json = JSON.parse((await cli(['tenant', 'rules', 'list', 'amal', '--format', 'json'])).stdout) as { stale: boolean; settings: { ruleId: string }[] };
    expect(json.stale).toBe(false);
    expect(json.settings.map((s) => s.ruleId)).toEqual(['BV-AV-002', 'BV-FW-001']);
    expect((await cli(['tenant', 'rules', 'enable', 'amal', 'BV-FW-001', '--reason', 'egen brandvägg sedan november'])).code).toBe(0);

    const audit = await cli(['audit', '--tenant', 'amal', '--format', 'json']);
    const entries = (JSON.parse(audit.stdout) as { action: string; actor: string; details: { ruleId?: string; old: unknown; new: unknown } }[]).filter((e) => e.action.startsWith('rule-setting.'));
    expect(entries.map((e) => [e.action, e.details.ruleId])).toEqual([
      ['rule-setting.changed', 'BV-AV-002'],
      ['rule-setting.changed', 'BV-FW-001'],
      ['rule-setting.removed', 'BV-FW-001'],
    ]);
    expect(entries[2]!.details).toMatchObject({ old: { disabled: true }, new: null });
    expect(entries[0]!.actor).toMatch(/^cli:/);
  });

  it('uploads a network model, and names the line of each problem in a broken one', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'kommun: amal\nkommuner:\n  amal:\n    zones:\n      ADM: { vlans: [10], ranges: [10.1.0.0/33] }\n');
    const refused = await cli(['tenant', 'network-model', 'amal', broken, '--reason', 'ny IP-plan 2026']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${broken}: rad 5: kommuner.amal.zones.ADM.ranges[0]`);
    const good = join(dir, 'model.yaml');
    await writeFile(good, 'kommun: amal\nkommuner:\n  amal:\n    zones:\n      ADM: { vlans: [10], ranges: [10.1.0.0/20] }\n');
    const saved = await cli(['tenant', 'network-model', 'amal', good, '--reason', 'ny IP-plan 2026']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain('Nätmodellen för amal är sparad');
  });

  it('attests a manual control as the command-line user, and lists where each control stands', async () => {
    const missing = await cli(['tenant', 'attest', 'amal', TEST_CONTROL.id, '--outcome', 'met', '--reason', 'rutinen fastställd av KS']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('flaggan --evidence krävs');
    const attested = await cli(['tenant', 'attest', 'amal', TEST_CONTROL.id, '--outcome', 'met', '--evidence', 'KS 2026/114', '--reason', 'rutinen fastställd av KS']);
    expect(attested.code, attested.stderr).toBe(0);
    expect(attested.stdout).toMatch(new RegExp(`${TEST_CONTROL.id} för amal: uppfylld, intygad av cli:\\S+, nästa granskning \\d{4}-\\d{2}-\\d{2}`));
    const controls = await cli(['tenant', 'controls', 'amal']);
    expect(controls.stdout).toMatch(new RegExp(`${TEST_CONTROL.id}\\tuppfylld\\tFinns en incidentrutin`));
    expect(controls.stdout).toMatch(/BV-PROC-M01\tinte intygad/);

    // The attestation is a finding of the tenant, judged at once.
    const store = await openStore({ driver: 'sqlite', path: join(dir, 'collector.db') });
    try {
      const [finding] = await store.listFindings('amal', { ruleIds: [TEST_CONTROL.id] });
      expect(finding).toMatchObject({ target_kind: 'tenant', status: 'pass' });
    } finally {
      await store.close();
    }
  });
});
