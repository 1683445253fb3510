/** The water dashboards (issue 6 part 10): scope-filtered queries over the rollups, and their HTTP layer. */
export * from './range';
export * from './queries';
export * from './analytics';
export * from './cache';
export * from './views';
export * from './forecasts';
