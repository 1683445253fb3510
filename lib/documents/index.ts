/** Files: the content-addressed store and resumable (tus) uploads. */
export * from './store';
export * from './settings';
export * from './tus';
export * from './cleanup';
