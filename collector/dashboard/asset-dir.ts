import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../rules/engine/index.js';

/** The stylesheet and script live beside the code and are read from there, not copied into dist. */
export const ASSET_DIR = join(PACKAGE_ROOT, 'collector', 'dashboard', 'assets');
