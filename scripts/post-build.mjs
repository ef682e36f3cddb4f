// Makes the compiled CLI executable (npm does this on install; this covers a plain build).
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
