export { Validator, createValidator, type ValidateOptions, type ValidationResult } from './validator.js';
export { type ValidationIssue, toOperationOutcome, MESSAGE_ID_EXTENSION } from './issues.js';
export { MESSAGES, type MessageId, type Severity, type IssueCode } from './messages.js';
