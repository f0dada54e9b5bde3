// Prints the run's closing line, "tests: N passed, N failed, N skipped", that CI systems read
// without knowing Jest's own summary format. It is ONE line for the whole run however many tiers
// (Jest projects) ran, and it comes last (this reporter is listed after Jest's default one).
// A test file that fails before any of its tests runs (a compile error, a throwing import)
// counts as one failed test here, so "0 failed" always means nothing failed.
class SummaryReporter {
  onRunComplete(contexts, results) {
    const tiers = [...contexts]
      .map((context) => context.config.displayName?.name)
      .filter((name) => name !== undefined);
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const lines = [''];
    if (tiers.length > 0) lines.push(`[streamwise] tiers run: ${tiers.join(', ')}`);
    if (results.numRuntimeErrorTestSuites > 0) {
      lines.push(
        `[streamwise] ${results.numRuntimeErrorTestSuites} test file(s) failed to run (counted as failed below)`,
      );
    }
    lines.push(`tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
