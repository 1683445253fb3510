// Imports every domain's seeders (each file calls registerSeeders) and re-exports `seed`.
// Add one import per domain, in dependency order.
import './calendar';
import './identity';
import './expertise';
import './registration'; // after expertise: lists its accredited demo organisations
import './water';
import './water-demo'; // after water: the demo network's history and its leak alert
import './water-weather'; // after water: the demo regions
import './incidents';
export { seed } from './index';
