import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_RULE_DIRS, loadRules, PACKAGE_ROOT, type RuleSet } from '../../rules/engine/index.js';
import { catalogueCommand, catalogueMarkdown, proseMarkdown, ruleCatalogue } from '../../rules/frameworks/catalogue.js';
import { bundledFrameworks } from '../../rules/frameworks/index.js';
import { runRules } from './run-cli.js';

const DOCS = { sv: 'regelkatalog.md', en: 'rule-catalogue.en.md' } as const;

describe('the rule catalogue', () => {
  let rules: RuleSet;
  beforeAll(async () => {
    rules = await loadRules(BUNDLED_RULE_DIRS);
  });

  it('groups every rule and manual control under its first goal, and the others under "also here"', () => {
    const catalogue = ruleCatalogue(rules, bundledFrameworks());
    expect(catalogue.automated).toBe(rules.rules.length);
    expect(catalogue.manual).toBe(rules.manual.length);
    const listed = catalogue.groups.flatMap((g) => g.entries.map((e) => e.id));
    expect(listed.sort()).toEqual(rules.all.map((r) => r.id).sort());
    const av = catalogue.groups.find((g) => g.goal === 'AV')!;
    expect(av.entries.map((e) => e.id)).toEqual(expect.arrayContaining(['BV-AV-001', 'BV-AV-002', 'BV-AV-010']));
    const none = catalogue.groups.find((g) => g.goal === null)!;
    expect(none.entries.map((e) => e.id)).toEqual(expect.arrayContaining(['BV-PAT-001', 'BV-PAT-002']));
    expect(catalogue.groups.find((g) => g.goal === 'LOGIN')?.alsoHere).toContain('BV-ID-010');
  });

  it('says for each entry what is checked, with facts, condition, parameters, sources and framework reasons', () => {
    const entries = ruleCatalogue(rules, bundledFrameworks()).groups.flatMap((g) => g.entries);
    const av = entries.find((e) => e.id === 'BV-AV-001')!;
    expect(av).toMatchObject({
      kind: 'automated',
      severity: 'high',
      target: 'host',
      checks: [{ id: 'AV-01', title: { sv: 'Virusskydd aktivt', en: 'AV running' } }],
      facts: [{ path: 'host.antivirus', description: expect.objectContaining({ sv: expect.any(String) }) }],
      params: [{ name: 'requireRealTimeProtection', value: true }],
      file: 'rules/packs/basvakt/host/BV-AV-001.yaml',
    });
    expect(av.frameworks).toContainEqual(expect.objectContaining({ framework: 'iso27002-2022', requirement: '8.7', reason: 'Ett virusskydd är installerat, igång och har realtidsskydd på datorn.' }));
    const manual = entries.find((e) => e.id === 'BV-BAK-M01')!;
    expect(manual).toMatchObject({ kind: 'manual', facts: [], params: [], manual: { reviewMonths: 12 } });
    expect(manual.condition).toBeUndefined();
    expect(manual.frameworks.map((f) => `${f.framework} ${f.requirement}`)).toEqual(expect.arrayContaining(['bits DRF-03', 'iso27002-2022 8.13', 'cis-v8 11.4', 'nis2-art21 c']));
  });

  it('keeps commands as code and angle brackets visible in Markdown', () => {
    expect(proseMarkdown('Stäng av kontot:\n  Disable-ADAccount -Identity <dator>$\nSedan <klart>.')).toEqual([
      'Stäng av kontot:', '', '```', 'Disable-ADAccount -Identity <dator>$', '```', '', 'Sedan &lt;klart&gt;.', '',
    ]);
  });

  it.each([['sv'], ['en']] as const)('docs/%s catalogue is up to date', (lang) => {
    const file = join(PACKAGE_ROOT, 'docs', DOCS[lang]);
    const expected = catalogueMarkdown(ruleCatalogue(rules, bundledFrameworks()), { lang, command: catalogueCommand(lang) });
    expect(readFileSync(file, 'utf8') === expected, `${file} är inaktuell (is stale); skapa om: npm run build && node dist/cli/main.js ${catalogueCommand(lang).replace(/^basvakt /, '')}`).toBe(true);
  });

  it('`basvakt rules catalogue` writes the same Markdown, in English with --lang en', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'basvakt-catalogue-'));
    try {
      const out = join(dir, 'katalog.md');
      expect((await runRules(['catalogue', '--output', out])).code).toBe(0);
      expect(await readFile(out, 'utf8')).toBe(readFileSync(join(PACKAGE_ROOT, 'docs', DOCS.sv), 'utf8'));
      const english = await runRules(['catalogue'], 'en');
      expect(english.out).toBe(readFileSync(join(PACKAGE_ROOT, 'docs', DOCS.en), 'utf8'));
      expect(english.out).toContain('# Rule catalogue');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
