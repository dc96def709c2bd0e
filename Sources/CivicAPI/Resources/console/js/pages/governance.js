// The governance pages (governance/*.js): proposals and votes, identities, contracts.
import * as proposals from './governance/proposals.js';
import * as identities from './governance/identities.js';
import * as contracts from './governance/contracts.js';

/** Registers the governance, identity and contract routes. */
export function register(app) {
  for (const page of [proposals, identities, contracts]) page.register(app);
}
