import { withCliDb } from './db';

withCliDb(async () => {
  console.log('Migrations applied.');
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
