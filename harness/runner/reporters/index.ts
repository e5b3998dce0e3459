export {
  createConsoleReporter,
  shouldUseColor,
  type ConsoleReporter,
  type ConsoleReporterOptions,
} from './console.js';
export { toJson } from './json.js';
export { toJUnit } from './junit.js';
export { toTestReport, toTestReports, SCENARIO_SYSTEM } from './testreport.js';
export { toHtml } from './html.js';
export { writeReports, REPORT_FORMATS, type ReportFormat, type WriteReportsOptions } from './write.js';
export { countSteps, runOutcome, worstOutcome, type OutcomeCounts } from './summary.js';
