// Prints vitest's JSON result as one closing line: "Tests: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let result;
try {
  result = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`Tests: 0 passed, 1 failed (no result file ${file}: ${error.message})`);
  process.exit(1);
}
const skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
const failedSuites = (result.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
console.log(`Tests: ${result.numPassedTests} passed, ${result.numFailedTests + failedSuites} failed, ${skipped} skipped`);
