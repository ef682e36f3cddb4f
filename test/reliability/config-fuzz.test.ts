import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../agent/config/index.js';
import { loadCollectorConfig } from '../../collector/config/load.js';
import { InputFileError } from '../../common/yaml.js';
import { BUNDLED_RULE_DIRS, lintRules } from '../../rules/engine/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A line-level mutation of a YAML text: drop, duplicate, replace a value, or insert junk. */
const mutation = fc.tuple(
  fc.constantFrom('drop', 'duplicate', 'value', 'junk', 'indent'),
  fc.nat(),
  fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '1e999', '~', '[', '{a: [}', '!!binary x', '*alias', '&a [*a]', '"\\u0000"', '__proto__: {x: 1}', 'x'.repeat(300))),
);

function mutate(text: string, [kind, at, junk]: [string, number, string]): string {
  const lines = text.split('\n');
  const i = at % lines.length;
  const line = lines[i] ?? '';
  switch (kind) {
    case 'drop':
      lines.splice(i, 1);
      break;
    case 'duplicate':
      lines.splice(i, 0, line);
      break;
    case 'value':
      lines[i] = line.includes(':') ? `${line.slice(0, line.indexOf(':') + 1)} ${junk}` : junk;
      break;
    case 'indent':
      lines[i] = `   ${line}`;
      break;
    default:
      lines.splice(i, 0, junk);
  }
  return lines.join('\n');
}

/** Every problem says where (a line when it names a field) and what. */
function expectClearProblems(error: unknown): void {
  expect(error).toBeInstanceOf(InputFileError);
  const problems = (error as InputFileError).problems;
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(p.message.length).toBeGreaterThan(0);
    if (p.path !== '') expect(p.line, JSON.stringify(p)).toBeGreaterThan(0);
  }
}

describe('hostile and broken config files (property-based)', () => {
  let dir: string;
  let agentExample: string;
  let collectorExample: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-config-fuzz-'));
    agentExample = await readFile(join(ROOT, 'config', 'agent.example.yaml'), 'utf8');
    collectorExample = await readFile(join(ROOT, 'config', 'collector.example.yaml'), 'utf8');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('a mutated agent config is either valid or refused with problems naming field and line — never a crash', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const text = mutations.reduce(mutate, agentExample);
        try {
          parseAgentConfig(text, join(dir, 'agent.yaml'));
        } catch (error) {
          expectClearProblems(error);
        }
      }),
      { numRuns: 300 },
    );
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it('a mutated collector config is either valid or refused clearly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const file = join(dir, 'collector.yaml');
        await writeFile(file, mutations.reduce(mutate, collectorExample));
        try {
          await loadCollectorConfig(file);
        } catch (error) {
          expectClearProblems(error);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a mutated rule file is linted into problems with file and line — the linter never throws', async () => {
    const source = await readFile(join(BUNDLED_RULE_DIRS[0]!, 'basvakt', 'host', 'BV-AV-001.yaml'), 'utf8');
    const rules = join(dir, 'rules');
    await mkdir(rules, { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), async (mutations) => {
        const file = join(rules, 'BV-AV-001.yaml');
        await writeFile(file, mutations.reduce(mutate, source));
        const report = await lintRules([rules]);
        for (const p of report.problems) {
          expect(p.file).toBe(file);
          expect(p.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('YAML that would blow up the parser', () => {
  it('refuses an unresolved alias and an alias bomb with a clear problem', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    for (const text of ['collector:\n  url: *nowhere\n', bomb]) {
      try {
        parseAgentConfig(text, '/tmp/agent.yaml');
        expect.unreachable('should have been refused');
      } catch (error) {
        expectClearProblems(error);
        expect((error as InputFileError).message).toMatch(/YAML|alias/i);
      }
    }
  });
});
