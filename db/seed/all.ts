// Imports every domain's seeders (each file calls registerSeeders) and re-exports `seed`.
// Add one import per domain, in dependency order.
export { seed } from './index';
