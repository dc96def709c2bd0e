// The government services pages (Docs/0016): the data catalog, requests and grants, "who accessed", electronic
// certificates and evidence. Each lives in its own module under services/.
import * as catalog from './services/catalog.js';
import * as requests from './services/requests.js';
import * as trail from './services/trail.js';
import * as certificates from './services/certificates.js';
import * as evidence from './services/evidence.js';

/** Registers the services routes: #/catalog, #/requests, #/trail, #/certificates, #/evidence and their details. */
export function register(app) {
  for (const page of [catalog, requests, trail, certificates, evidence]) page.register(app);
}
