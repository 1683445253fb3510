// One file per domain; drizzle-kit reads this index.
export * from './calendar';
export * from './audit';
export * from './numbering';
export * from './jobs';
export * from './settings';
