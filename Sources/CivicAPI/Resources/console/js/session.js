// Sign-in and signing (Docs/0017). The person's private key is read in this page and never leaves it: the page
// answers the node's challenge with it, and signs every write. The node only ever receives signatures.
import { ApiError, del, post, setToken } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';

let current = null;   // {address, name, organization, role, public_key, ...} of the signed-in person
let signingKey = null; // {suite, publicKey, sign} from crypto/keys.js
const listeners = new Set();

/** The cryptography module, loaded when first needed so that reading pages never pays for it. */
export function crypto() { return import('./crypto/keys.js'); }

/** The signed-in person, or null. */
export function who() { return current; }

/** Calls `listener(person or null)` after every sign-in and sign-out. */
export function onSessionChange(listener) { listeners.add(listener); }

function changed() { for (const listener of listeners) listener(current); }

/**
 * Which roles each write is offered to. The contracts decide when the transaction executes; this only keeps the
 * console from offering what a role can never do.
 */
export const actionRoles = {
  'governance.vote': ['admin'], 'governance.close': ['admin'], 'governance.propose': ['admin'],
  'contract.deploy': ['admin'], 'contract.upgrade': ['admin'],
  'catalog.publish': ['member', 'admin'], 'catalog.withdraw': ['member', 'admin'],
  'catalog.request': ['member', 'admin'], 'catalog.decide': ['member', 'admin'],
  'certificates.issue': ['member', 'admin'], 'certificates.status': ['member', 'admin'],
  'certificates.authorize': ['client', 'member', 'admin'], 'certificates.withdraw_authorization': ['client', 'member', 'admin'],
  'certificates.verify': ['member', 'admin'],
  'evidence.put': ['member', 'client', 'admin'],
};

/** Whether the signed-in person's role is offered `action`. */
export function can(action) {
  return current !== null && (actionRoles[action] || []).includes(current.role);
}

/**
 * Signs in with a private key in PEM (and, optionally, the identity certificate it belongs to, which must certify
 * the same key): reads the key here, asks the node for a challenge, signs it, and opens a session.
 */
export async function signIn(keyPEM, certificatePEM) {
  const keys = await crypto();
  const key = await keys.importPrivateKeyPEM(keyPEM);
  if (certificatePEM && certificatePEM.trim()) {
    const certified = keys.publicKeyFromCertificatePEM(certificatePEM);
    if (keys.toHex(certified.publicKey) !== keys.toHex(key.publicKey)) {
      throw new ApiError(0, 'console.certificate_mismatch', t('session.certificateMismatch'));
    }
  }
  const challenge = await post('/v1/console/challenge', {});
  if (challenge.suite !== key.suite) {
    throw new ApiError(0, 'console.wrong_suite', t('session.wrongSuite', { key: key.suite, chain: challenge.suite }));
  }
  const message = keys.utf8(`CivicLedger/console-sign-in/v1${challenge.chain_id}\u0000${challenge.challenge}`);
  const signature = await key.sign(message);
  const session = await post('/v1/console/session', {
    public_key: keys.toHex(key.publicKey), challenge: challenge.challenge, signature: keys.toHex(signature),
  });
  setToken(session.token);
  delete session.token;
  current = session;
  signingKey = key;
  changed();
  return session;
}

/** Ends the session here and on the node, and forgets the key. */
export async function signOut() {
  try { await del('/v1/console/session'); } catch { /* the session ends here whatever the node says */ }
  setToken(null);
  current = null;
  signingKey = null;
  changed();
}

/**
 * Performs a write: the node prepares the transaction(s) of `action` for the signed-in person, the page shows what
 * will be signed and asks for confirmation, signs each with the person's key, submits it and waits for its commit.
 * Resolves to the committed results ({hash, height, receipt}); rejects with an ApiError naming the refusal (a
 * transaction that executed but failed counts as refused, with the receipt's code).
 */
export async function perform(action, args, { onProgress } = {}) {
  if (!current || !signingKey) throw new ApiError(401, 'console.not_signed_in', t('session.signInFirst'));
  const prepared = await post('/v1/console/prepare', { action, arguments: args });
  if (!(await confirmSigning(prepared))) throw new ApiError(0, 'console.cancelled', t('session.cancelled'));
  const keys = await crypto();
  const results = [];
  for (const [index, transaction] of prepared.transactions.entries()) {
    onProgress?.(index, prepared.transactions.length);
    const body = keys.fromBase64(transaction.body);
    const signature = await signingKey.sign(keys.fromBase64(transaction.sign_bytes));
    const signed = new Uint8Array(body.length + signature.length);
    signed.set(body);
    signed.set(signature, body.length);
    const answer = await post('/v1/transactions?wait=true&timeout_ms=30000', { transaction: keys.toBase64(signed) }, { accept: [410] });
    if (answer.status === 'dropped') throw new ApiError(410, answer.error?.code ?? 'transaction.dropped', answer.error?.message ?? '');
    if (answer.status !== 'committed') throw new ApiError(0, 'transaction.timed_out', t('session.timedOut', { hash: answer.hash }));
    if (answer.receipt && answer.receipt.status !== 'success') {
      const error = new ApiError(0, answer.receipt.code ?? 'transaction.failed', answer.receipt.message ?? '');
      error.result = answer;
      throw error;
    }
    results.push(answer);
  }
  return results;
}

/** Shows what is about to be signed; resolves to true when the person confirms. */
function confirmSigning(prepared) {
  const dialog = document.getElementById('sign-dialog');
  document.getElementById('sign-dialog-title').textContent = t('session.confirmTitle');
  document.getElementById('sign-dialog-intro').textContent = t('session.confirmIntro', { name: current.name, organization: current.organization });
  document.getElementById('sign-dialog-confirm').textContent = t('session.confirmSign');
  document.getElementById('sign-dialog-cancel').textContent = t('common.cancel');
  replace(document.getElementById('sign-dialog-body'), h('ol', { class: 'to-sign' }, prepared.transactions.map(transaction =>
    h('li', {}, h('strong', { class: 'mono', text: `${transaction.contract}.${transaction.method}` }),
      transaction.description ? h('dl', { class: 'facts compact' }, Object.entries(transaction.description).map(([key, value]) => [h('dt', { text: key }), h('dd', { class: 'mono', text: value })])) : null,
      h('div', { class: 'mono small', text: `${t('common.hash')} ${transaction.hash}` })))));
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'sign'), { once: true });
    dialog.showModal();
    document.getElementById('sign-dialog-confirm').focus();
  });
}
