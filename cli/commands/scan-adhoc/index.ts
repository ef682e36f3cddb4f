import type { ProbeName, ProbeOptions } from '../../../agent/probes/catalogue.js';
import type { OptionSpec } from '../../args.js';
import type { Lang } from '../../i18n.js';
import { directoryAdhoc } from './directory.js';
import { networkAdhoc } from './network.js';
import { webAdhoc } from './web.js';

/**
 * Flags that let `basvakt scan --probe NAME` audit a target without a config file, as
 * PingCastle users expect (e.g. --url and --bind-dn for the directory probe). Each probe
 * with such flags adds one entry here, in a file of its own.
 */
export interface AdhocProbe {
  probe: ProbeName;
  options: Record<string, OptionSpec>;
  /** The probe's options built from the flags; undefined when none of its flags were given. */
  fromFlags(values: Record<string, unknown>, lang: Lang): Promise<ProbeOptions | undefined>;
}

// web after directory: the flags they share (--url, --ca) show web's help, which names both.
export const ADHOC_PROBES: readonly AdhocProbe[] = [networkAdhoc, directoryAdhoc, webAdhoc];
