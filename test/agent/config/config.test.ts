import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputFileError } from '../../../common/yaml.js';
import {
  DEFAULT_CREDENTIAL_FILE,
  DEFAULT_HOST_SCHEDULE,
  DEFAULT_SPOOL_DIRECTORY,
  DEFAULT_SPOOL_MAX_BYTES,
  DEFAULT_SPOOL_MAX_REPORTS,
  cronProblem,
  loadAgentConfig,
  parseAgentConfig,
  parseByteSize,
} from '../../../agent/config/index.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/agent.example.yaml', import.meta.url));

function problemsOf(text: string, file = '/etc/basvakt/agent.yaml') {
  try {
    parseAgentConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputFileError);
    return (error as InputFileError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('agent config', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the annotated example', async () => {
    const config = await loadAgentConfig(EXAMPLE);
    expect(config.collector.url).toBe('https://basvakt.kommun.example.se');
    expect(config.collector.timeoutSeconds).toBe(30);
    expect(config.spool.maxBytes).toBe(200 * 1024 * 1024);
    expect(config.spool.maxReports).toBe(10_000);
    expect(config.probes.host).toMatchObject({ enabled: true, schedule: '*/30 * * * *' });
    expect(config.probes.host.options?.clamav?.socket).toBe('/run/clamav/clamd.ctl');
    expect(config.log.level).toBe('info');
  });

  it('fills in defaults for a minimal file', () => {
    const config = parseAgentConfig('collector:\n  url: https://insamlare.test/\n', '/etc/basvakt/agent.yaml');
    expect(config).toEqual({
      collector: { url: 'https://insamlare.test', timeoutSeconds: 30 },
      credentialFile: DEFAULT_CREDENTIAL_FILE,
      spool: { directory: DEFAULT_SPOOL_DIRECTORY, maxBytes: DEFAULT_SPOOL_MAX_BYTES, maxReports: DEFAULT_SPOOL_MAX_REPORTS },
      probes: { host: { enabled: true, schedule: DEFAULT_HOST_SCHEDULE } },
      log: { level: 'info' },
    });
  });

  it("resolves relative paths against the config file's folder", async () => {
    const file = join(dir, 'agent.yaml');
    await writeFile(
      file,
      [
        'collector:',
        '  url: https://insamlare.test',
        '  caFile: certs/ca.pem',
        'credentialFile: ./state/cred.json',
        'spool:',
        '  directory: spool',
        '  maxBytes: 5242880',
        'probes:',
        '  host:',
        '    options:',
        '      clamav: { databaseDir: db, socket: /run/clamd.sock }',
      ].join('\n'),
    );
    const config = await loadAgentConfig(file);
    expect(config.collector.caFile).toBe(join(dir, 'certs/ca.pem'));
    expect(config.credentialFile).toBe(join(dir, 'state/cred.json'));
    expect(config.spool.directory).toBe(join(dir, 'spool'));
    expect(config.spool.maxBytes).toBe(5_242_880);
    expect(config.probes.host.options?.clamav).toEqual({ databaseDir: join(dir, 'db'), socket: '/run/clamd.sock' });
  });

  it('reports a missing file clearly', async () => {
    await expect(loadAgentConfig(join(dir, 'nope.yaml'))).rejects.toThrow(/filen finns inte/);
  });

  it('reports broken YAML with its line', () => {
    // The parser notices the unclosed flow sequence where the next key starts.
    expect(problemsOf(['collector:', '  url: https://insamlare.test', 'spool:', '  directory: [unclosed', 'log: {}'].join('\n'))).toEqual([
      { path: '', line: 5, column: 1, message: expect.stringContaining('Flow sequence') },
    ]);
    expect(problemsOf(['collector:', '  url: https://a.test', 'log:', '  level: info', 'log:', '  level: debug'].join('\n'))).toEqual([
      { path: '', line: 5, column: 1, message: 'Map keys must be unique' },
    ]);
  });

  it('names field, line and what was expected for a bad cron expression', () => {
    const text = [
      '# agent', // 1
      'collector:', // 2
      '  url: https://insamlare.test', // 3
      'probes:', // 4
      '  host:', // 5
      '    enabled: true', // 6
      "    schedule: '*/x * * *'", // 7
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'probes.host.schedule', line: 7 });
    expect(problems[0]!.message).toContain("ogiltigt cron-uttryck '*/x * * *'");
    expect(problems[0]!.message).toContain('förväntade fem fält');
    expect(() => parseAgentConfig(text, '/etc/basvakt/agent.yaml')).toThrow(
      /^\/etc\/basvakt\/agent\.yaml:rad 7: probes\.host\.schedule: ogiltigt cron-uttryck '\*\/x \* \* \*' — förväntade fem fält/,
    );
  });

  it('names the cron field that is out of range', () => {
    const problems = problemsOf(['collector:', '  url: https://insamlare.test', 'probes:', '  host:', '    schedule: "61 * * * *"'].join('\n'));
    expect(problems[0]).toMatchObject({ path: 'probes.host.schedule', line: 5 });
    expect(problems[0]!.message).toContain('minut');
    expect(problems[0]!.message).toContain("'61'");
  });

  it('refuses six-field cron expressions', () => {
    expect(cronProblem('*/5 * * * * *')).toMatch(/fick 6/);
    expect(cronProblem('0 6 * * 1-5')).toBeUndefined();
    expect(cronProblem('0 3 * * mon')).toBeUndefined();
  });

  it('points an unknown field at its own line and lists what is allowed', () => {
    const text = [
      'collector:', // 1
      '  url: https://insamlare.test', // 2
      '  timeoutSecond: 10', // 3 (misspelt)
      'spool:', // 4
      '  directory: /tmp/spool', // 5
      'extra: 1', // 6
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems).toEqual([
      { path: 'collector.timeoutSecond', line: 3, message: expect.stringContaining('okänt fält') },
      { path: 'extra', line: 6, message: expect.stringContaining('okänt fält') },
    ]);
    expect(problems[0]!.message).toContain('url, caFile, clientCertFile, clientKeyFile, timeoutSeconds');
  });

  it('names a value of the wrong type with its line, in Swedish', () => {
    const text = [
      'collector:', // 1
      '  url: https://insamlare.test', // 2
      '  timeoutSeconds: thirty', // 3
      'spool:', // 4
      '  maxReports: many', // 5
      'probes:', // 6
      '  host:', // 7
      '    enabled: "yes"', // 8
      'log:', // 9
      '  level: loud', // 10
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['collector.timeoutSeconds', 3],
      ['spool.maxReports', 5],
      ['probes.host.enabled', 8],
      ['log.level', 10],
    ]);
    expect(problems[0]!.message).toBe('förväntade ett tal, fick text (expected number)');
    expect(problems[2]!.message).toBe('förväntade true eller false, fick text (expected boolean)');
    expect(problems[3]!.message).toContain('"info"');
  });

  it('requires the collector url and points at its parent', () => {
    const problems = problemsOf(['log:', '  level: debug', 'collector:', '  timeoutSeconds: 5'].join('\n'));
    expect(problems).toEqual([{ path: 'collector.url', line: 3, message: 'saknas — förväntade text (required)' }]);
    expect(problemsOf('')).toEqual([{ path: 'collector', line: undefined, message: expect.stringContaining('saknas') }]);
  });

  it('refuses a URL that is not http(s) or carries a password', () => {
    expect(problemsOf('collector:\n  url: ftp://insamlare.test\n')[0]).toMatchObject({ path: 'collector.url', line: 2 });
    expect(problemsOf('collector:\n  url: https://agent:hemligt@insamlare.test\n')[0]!.message).toContain('lösenord');
    expect(problemsOf('collector:\n  url: not a url\n')[0]!.message).toContain('ogiltig URL');
  });

  it('reads byte sizes with units and refuses nonsense', () => {
    expect(parseByteSize('200 MB')).toBe(200 * 1024 * 1024);
    expect(parseByteSize('1,5 GB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize(4096)).toBe(4096);
    expect(parseByteSize('lots')).toBeUndefined();
    expect(parseByteSize('10 XB')).toBeUndefined();
    const problems = problemsOf('collector:\n  url: https://insamlare.test\nspool:\n  maxBytes: 10 XB\n');
    expect(problems[0]).toMatchObject({ path: 'spool.maxBytes', line: 4 });
    expect(problemsOf('collector:\n  url: https://insamlare.test\nspool:\n  maxBytes: 100\n')[0]!.message).toContain('minst 1 MB');
  });

  it('refuses an unknown probe name', () => {
    const problems = problemsOf('collector:\n  url: https://insamlare.test\nprobes:\n  hots:\n    enabled: false\n');
    expect(problems).toEqual([{ path: 'probes.hots', line: 4, message: expect.stringContaining('host') }]);
  });
});

describe('the system register in the agent config', () => {
  const example = readFileSync(EXAMPLE, 'utf8').split('\n');
  const commented = (name: string) => {
    const start = example.findIndex((l) => l.startsWith(`  # ${name}:`));
    expect(start).toBeGreaterThan(0);
    const block: string[] = [];
    for (const line of example.slice(start)) {
      if (!line.startsWith('  #')) break;
      block.push(line.replace(/^  # ?/, '  '));
    }
    return block.join('\n');
  };

  it('feeds the web probe (run even when not configured) and every directory entry', () => {
    const text = [
      'collector: { url: "https://basvakt.kommun.se" }',
      example.find((l) => l.startsWith('# register:'))!.slice(2),
      'probes:',
      commented('web'),
      '  directory:',
      '    options:',
      '      - { url: "ldaps://dc1.kommun.se", bindDn: "cn=basvakt", passwordFile: "/etc/basvakt/ldap-password" }',
    ].join('\n');
    const config = parseAgentConfig(text, '/etc/basvakt/agent.yaml');
    expect(config.register).toBe('/etc/basvakt/systemforteckning.yaml');
    expect(config.probes.web).toMatchObject({ enabled: true, schedule: '50 4 * * *', options: { caFile: '/etc/basvakt/kommun-ca.pem', register: '/etc/basvakt/systemforteckning.yaml' } });
    expect(config.probes.directory?.options?.[0]?.register).toBe('/etc/basvakt/systemforteckning.yaml');
    const implied = parseAgentConfig('collector: { url: "https://basvakt.kommun.se" }\nregister: reg.yaml\n', '/etc/basvakt/agent.yaml');
    expect(implied.probes.web).toMatchObject({ enabled: true, options: { register: '/etc/basvakt/reg.yaml' } });
  });

  it('a web probe with neither systems nor register is refused with the field named', () => {
    expect(problemsOf('collector: { url: "https://x.se" }\nprobes:\n  web:\n    options: { timeoutMs: 5000 }\n')).toEqual([
      expect.objectContaining({ path: 'probes.web.options.systems', line: 4, message: expect.stringContaining('ange register (systemförteckningen) eller systems') }),
    ]);
  });

  it('a broken register stops loading the config with the register file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'basvakt-cfg-'));
    try {
      writeFileSync(join(dir, 'reg.yaml'), 'systems:\n  - id: lon\n    name: Lön\n    lastAccessReview: 2025-13-40\n');
      writeFileSync(join(dir, 'agent.yaml'), 'collector: { url: "https://x.se" }\nregister: reg.yaml\n');
      const error = await loadAgentConfig(join(dir, 'agent.yaml')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as InputFileError).file).toBe(join(dir, 'reg.yaml'));
      expect((error as InputFileError).problems).toEqual([expect.objectContaining({ path: 'systems[0].lastAccessReview', line: 4 })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
