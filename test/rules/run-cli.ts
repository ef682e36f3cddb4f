import { vi } from 'vitest';
import { rulesCommand } from '../../cli/commands/rules.js';

/** Runs `basvakt rules …` in this process and captures what it writes. */
export async function runRules(argv: string[], lang: 'sv' | 'en' = 'sv'): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const code = await rulesCommand.run(argv, lang);
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}
