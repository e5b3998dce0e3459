/** The scenario engine's public API: the DSL for writing scenarios, and what runs them. */
export * from './types.js';
export { key, scenario, step } from './dsl.js';
export { runScenarios } from './engine.js';
export { loadScenarios } from './loader.js';
export { selectScenarios, scenarioProblems } from './definition-checks.js';
export { HttpClient, DEFAULT_TIMEOUT_MS, type SendResult } from './http-client.js';
export { CapabilityPlan } from './capabilities.js';
export { startReceiver, type RunningReceiver } from './receiver.js';
export { worstOutcome } from './outcomes.js';
export { REPORT_STYLE, badge, escapeHtml } from './reporters/html.js';
