import type { CommandSpec } from '../args.js';
import type { Lang } from '../i18n.js';

export interface Command {
  spec: CommandSpec;
  run(argv: string[], lang: Lang): Promise<number>;
}
