import { describe, expect, it } from 'vitest';
import { importCsvRegister, parseRegisterYaml, registerTargets } from '../../../agent/register/index.js';
import { registerFacts } from '../../../report/facts/register.js';
import { problemsOf, TODAY } from './support.js';

/** CRY-05: a register entry says whether the system offers encrypted transfer (secure mail, SFTP). */
describe('secureTransfer in the system register', () => {
  const entryOf = (yaml: string) =>
    registerTargets(parseRegisterYaml(yaml, 'register.yaml', { today: TODAY }).register, 'register.yaml').map((t) => (t.facts[0] as { value: Record<string, unknown> }).value);

  it('carries the flag into the register fact, null where the register says nothing', () => {
    const [sftp, other] = entryOf(['systems:', '  - { id: sftp, name: SFTP-tjänsten, category: infrastructure, secureTransfer: true }', '  - { id: lon, name: Visma Lön }'].join('\n'));
    expect(sftp!.secureTransfer).toBe(true);
    expect(other!.secureTransfer).toBeNull();
    for (const value of [sftp, other]) expect(registerFacts.register.value.safeParse(value).success).toBe(true);
  });

  it('accepts a register fact from an agent that does not know the field yet', () => {
    const [entry] = entryOf('systems:\n  - { id: lon, name: Visma Lön }\n');
    const { secureTransfer: _dropped, ...older } = entry!;
    expect(registerFacts.register.value.safeParse(older).success).toBe(true);
  });

  it('refuses a value that is not a yes or no, naming the line and field', () => {
    expect(problemsOf(() => parseRegisterYaml('systems:\n  - id: sftp\n    name: SFTP\n    secureTransfer: kanske\n', 'register.yaml', { today: TODAY }))).toEqual([
      { path: 'systems[0].secureTransfer', line: 4, message: expect.stringContaining('boolean') },
    ]);
  });

  it('reads the CSV column "Säker överföring" (and "secure transfer"), yes or no', () => {
    const loaded = importCsvRegister('system;säker överföring\nSäker e-post;ja\nVisma Lön;nej\nCiceron;\n', 'reg.csv', { today: TODAY });
    expect(loaded.register.systems.map((s) => [s.id, s.secureTransfer])).toEqual([
      ['saker-e-post', true],
      ['visma-lon', false],
      ['ciceron', undefined],
    ]);
    expect(importCsvRegister('System,Secure transfer\nSFTP,yes\n', 'reg.csv', { today: TODAY }).register.systems[0]!.secureTransfer).toBe(true);
    expect(problemsOf(() => importCsvRegister('system;säker överföring\nSFTP;kanske\n', 'reg.csv', { today: TODAY }))).toEqual([
      { path: 'säker överföring', line: 2, message: '"kanske" — förväntade ja eller nej (expected yes or no)' },
    ]);
  });
});
