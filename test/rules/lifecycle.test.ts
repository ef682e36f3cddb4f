import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLED_RULE_DIRS,
  classifyWindowsEdition,
  daysUntilEndOfLife,
  LifecycleLookupError,
  loadOsLifecycle,
  loadRules,
  matchLifecycle,
  RuleLoadError,
  type OsLifecycleTable,
} from '../../rules/engine/index.js';
import { removeDir, writeRuleDir } from './support.js';

let table: OsLifecycleTable;
beforeAll(async () => {
  table = await loadOsLifecycle();
});

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-23T12:00:00Z');

describe('os-lifecycle.yaml', () => {
  it('gives a vendor source for every entry', () => {
    expect(table.entries.length).toBeGreaterThan(50);
    for (const e of table.entries) expect(e.source).toMatch(/^https:\/\//);
  });

  it('has no two rows for the same OS, version, build, server flag and edition', () => {
    const keys = table.entries.flatMap((e) => {
      const m = e.match;
      if (!('server' in m)) return [`${m.os} ${m.version}`];
      const build = m.build ?? `<${m.buildBelow}`;
      return m.server ? [`windows ${build} server`] : (m.editions ?? []).map((ed) => `windows ${build} client ${ed}`);
    });
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('covers Debian 9–13, Ubuntu LTS 18.04–24.04, RHEL/Rocky/Alma 8–9, RHEL and CentOS 7', () => {
    for (const [id, version] of [
      ['debian', '9'], ['debian', '10'], ['debian', '11'], ['debian', '12'], ['debian', '13'],
      ['ubuntu', '18.04'], ['ubuntu', '20.04'], ['ubuntu', '22.04'], ['ubuntu', '24.04'],
      ['rhel', '7'], ['rhel', '8'], ['rhel', '9'], ['centos', '7'],
      ['rocky', '8'], ['rocky', '9'], ['almalinux', '8'], ['almalinux', '9'],
    ] as const) {
      expect(() => matchLifecycle(table, { id, version })).not.toThrow();
    }
  });
});

describe('classifyWindowsEdition', () => {
  it.each([
    ['Professional', 'consumer'],
    ['Core', 'consumer'],
    ['ProfessionalEducation', 'consumer'],
    ['ProfessionalWorkstation', 'consumer'],
    ['Windows 11 Pro', 'consumer'],
    ['Enterprise', 'enterprise'],
    ['EnterpriseN', 'enterprise'],
    ['Education', 'enterprise'],
    ['IoTEnterprise', 'enterprise'],
    ['EnterpriseS', 'ltsc'],
    ['EnterpriseSN', 'ltsc'],
    ['Windows 10 Enterprise LTSC 2021', 'ltsc'],
    ['IoTEnterpriseS', 'iot-ltsc'],
    ['Windows 10 IoT Enterprise LTSC 2021', 'iot-ltsc'],
  ])('%s → %s', (edition, expected) => {
    expect(classifyWindowsEdition(edition)).toBe(expected);
  });

  it('does not guess for server or missing editions', () => {
    expect(classifyWindowsEdition('ServerStandard')).toBeUndefined();
    expect(classifyWindowsEdition(null)).toBeUndefined();
  });
});

describe('matchLifecycle', () => {
  const windows = (version: string, isServer: boolean | null, edition: string | null = null) => ({ id: 'windows', version, isServer, edition });

  it('matches Linux by major version (Ubuntu by YY.MM)', () => {
    expect(matchLifecycle(table, { id: 'debian', version: '12.7' }).label).toBe('Debian 12 (bookworm) (EOL 2028-06-30)');
    expect(matchLifecycle(table, { id: 'rocky', version: '9.6' }).endOfLife).toBe('2032-05-31');
    expect(matchLifecycle(table, { id: 'ubuntu', version: '22.04' }).endOfLife).toBe('2027-05-31');
    expect(() => matchLifecycle(table, { id: 'ubuntu', version: '24.10' })).toThrow(LifecycleLookupError);
  });

  it('matches Windows by build, server flag and edition', () => {
    expect(matchLifecycle(table, windows('10.0.19045', false)).label).toBe('Windows 10 22H2 (EOL 2025-10-14)');
    expect(matchLifecycle(table, windows('10.0.26100', true, 'ServerDatacenter')).label).toBe('Windows Server 2025 (EOL 2034-11-14)');
    expect(matchLifecycle(table, windows('10.0.26100', false, 'Enterprise')).endOfLife).toBe('2027-10-12');
    expect(matchLifecycle(table, windows('10.0.26100', false, 'Professional')).endOfLife).toBe('2026-10-13');
    expect(matchLifecycle(table, windows('10.0.26100', false, 'EnterpriseS')).label).toBe('Windows 11 Enterprise LTSC 2024 (EOL 2029-10-09)');
    expect(matchLifecycle(table, windows('10.0.22631', false, 'Education')).endOfLife).toBe('2026-11-10');
    expect(matchLifecycle(table, windows('10.0.20348', null)).label).toBe('Windows Server 2022 (EOL 2031-10-14)');
    expect(matchLifecycle(table, windows('6.3.9600', true, 'ServerStandard')).label).toBe('Windows Server 2012 R2 (EOL 2023-10-10)');
    expect(matchLifecycle(table, windows('10.0.17763', false, 'EnterpriseS')).endOfLife).toBe('2029-01-09');
    expect(matchLifecycle(table, windows('10.0.17763', true)).label).toBe('Windows Server 2019 (EOL 2029-01-09)');
    expect(matchLifecycle(table, windows('10.0.14393', false, 'Professional')).label).toBe('Windows 10 before 1809 (EOL 2021-05-11)');
  });

  it('takes the build from `build` when the version has none', () => {
    expect(matchLifecycle(table, { id: 'windows', version: '10.0', build: '19045.6456', isServer: false }).endOfLife).toBe('2025-10-14');
  });

  it('refuses to guess when the edition or server flag decides', () => {
    expect(() => matchLifecycle(table, windows('10.0.26100', false), NOW)).toThrow(/edition/);
    expect(() => matchLifecycle(table, windows('10.0.17763', null), NOW)).toThrow(/isServer/);
  });

  it('still answers when every candidate date is past', () => {
    const match = matchLifecycle(table, windows('10.0.22631', false), NOW);
    expect(match.endOfLife).toBe('2026-11-10');
    expect(match.label).toBe('Windows 11 23H2 (Home/Pro) (EOL 2025-11-11) / Windows 11 23H2 (Enterprise/Education) (EOL 2026-11-10)');
    expect(daysUntilEndOfLife(match, NOW)).toBeLessThan(0);
  });

  it('counts the end-of-life day itself as supported', () => {
    const match = matchLifecycle(table, windows('10.0.19045', false));
    expect(daysUntilEndOfLife(match, at('2025-10-14T23:00:00Z'))).toBeGreaterThan(0);
    expect(daysUntilEndOfLife(match, at('2025-10-15T00:00:00Z'))).toBe(0);
    expect(daysUntilEndOfLife(match, at('2025-10-05T00:00:00Z'))).toBe(10);
  });
});

describe('a broken lifecycle file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await writeRuleDir({});
    await writeFile(join(dir, 'lifecycle.yaml'), 'reviewed: "2026-11-23"\nentries:\n  - product: X\n    match: { os: debian, version: "12" }\n    endOfLife: 2028-06-31x\n    basis: b\n    source: https://example.org\n');
  });
  afterAll(async () => removeDir(dir));

  it('stops loadRules with file, line and field', async () => {
    const error = (await loadRules(BUNDLED_RULE_DIRS, { osLifecycleFile: join(dir, 'lifecycle.yaml') }).catch((e: unknown) => e)) as RuleLoadError;
    expect(error).toBeInstanceOf(RuleLoadError);
    expect(error.problems).toContainEqual(expect.objectContaining({ file: join(dir, 'lifecycle.yaml'), path: 'entries[0].endOfLife', line: 5 }));
  });
});
