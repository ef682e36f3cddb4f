import { join } from 'node:path';
import { packageRoot } from '../../common/paths.js';

/** basvakt's own folder; the rule packs and data are read from there, not copied into dist. */
export const PACKAGE_ROOT: string = packageRoot();

/** The rule packs shipped with basvakt. */
export const BUNDLED_RULE_DIRS: readonly string[] = [join(PACKAGE_ROOT, 'rules', 'packs')];

/** End-of-life dates of operating systems, used by `daysUntilEndOfLife`. */
export const OS_LIFECYCLE_FILE: string = join(PACKAGE_ROOT, 'rules', 'data', 'os-lifecycle.yaml');

/** The framework data files: requirements of BITS, ISO/IEC 27002, CIS, MSBFS and NIS2 linked to rules. */
export const FRAMEWORK_DIR: string = join(PACKAGE_ROOT, 'rules', 'frameworks');
