// One file per domain; drizzle-kit reads this index.
export * from './calendar';
export * from './audit';
export * from './numbering';
export * from './jobs';
export * from './settings';
export * from './identity';
export * from './eds';
export * from './water';
export * from './expertise';
export * from './notify';
export * from './registration';
export * from './actions';
export * from './water-ops';
export * from './documents';
export * from './water-reports';
export * from './partner';
export * from './water-weather';
