// The explorer pages: the overview (#/), blocks (#/blocks, #/blocks/:id), one transaction and its proof (#/tx/:hash),
// events (#/events) and search (#/search/:q). Each lives in js/pages/explorer/.
import * as overview from './explorer/overview.js';
import * as blocks from './explorer/blocks.js';
import * as transaction from './explorer/transaction.js';
import * as events from './explorer/events.js';
import * as search from './explorer/search.js';

/** Registers the explorer routes. */
export function register(app) {
  for (const page of [overview, blocks, transaction, events, search]) page.register(app);
}
