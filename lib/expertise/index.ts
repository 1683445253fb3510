/** The expertise domain (issue 5): applications from submission to the conclusion. No UI here. */
export * from './applications';
export * from './settings';
export * from './deadlines';
export * from './review';
export * from './access';
export { type Application } from './internal';
