/**
 * A vitest reporter for `npm test`'s summary: which tests failed (with the first lines of their
 * error), which test files failed outside any test (a `beforeAll`, an import), which errors were
 * unhandled, and which tests passed only on a retry (flaky). It writes them to the JSON file named
 * by ENTENTE_TEST_REPORT; scripts/test.ts prints them after the counts.
 *
 * Why: a CI log is often read from its tail only. The default reporter prints failures where they
 * happen, hundreds of lines up; the summary must name them itself, or a failure cannot be found.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

export interface ReportEntry {
  file: string;
  name: string;
  error: string;
}
export interface TestReport {
  failed: ReportEntry[];
  flaky: ReportEntry[];
  failedFiles: ReportEntry[];
  unhandled: string[];
}

const ROOT = path.resolve(import.meta.dirname, '..');
const ERROR_LINES = 6;

function firstLines(text: string | undefined): string {
  // The runner's own frames say nothing about the failure: keep the message and the project's frames.
  return (text ?? '')
    .split('\n')
    .filter((line) => !line.includes('node_modules') && !line.includes('node:internal'))
    .slice(0, ERROR_LINES)
    .join('\n');
}

export default class SummaryReporter implements Reporter {
  private readonly report: TestReport = { failed: [], flaky: [], failedFiles: [], unhandled: [] };

  onTestCaseResult(testCase: TestCase): void {
    const file = path.relative(ROOT, testCase.module.moduleId);
    const result = testCase.result();
    if (result.state === 'failed') {
      const error = result.errors?.[0];
      this.report.failed.push({ file, name: testCase.fullName, error: firstLines(error?.stack ?? error?.message) });
    } else if (testCase.diagnostic()?.flaky) {
      this.report.flaky.push({ file, name: testCase.fullName, error: `passed on retry ${testCase.diagnostic()?.retryCount}` });
    }
  }

  // A failed `beforeAll` fails its suite or module and reports every test in it as skipped.
  onTestSuiteResult(testSuite: TestSuite): void {
    this.outsideTests(testSuite.module.moduleId, testSuite.fullName, testSuite.errors());
  }

  onTestModuleEnd(testModule: TestModule): void {
    this.outsideTests(testModule.moduleId, '(outside any test)', testModule.errors());
  }

  private outsideTests(moduleId: string, name: string, errors: ReadonlyArray<{ message?: string; stack?: string }>): void {
    const file = path.relative(ROOT, moduleId);
    for (const error of errors) this.report.failedFiles.push({ file, name, error: firstLines(error.stack ?? error.message) });
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string; stack?: string }>): void {
    for (const error of unhandledErrors) this.report.unhandled.push(firstLines(error.stack ?? error.message));
    const output = process.env.ENTENTE_TEST_REPORT;
    if (output) writeFileSync(output, JSON.stringify(this.report, null, 2));
  }
}
