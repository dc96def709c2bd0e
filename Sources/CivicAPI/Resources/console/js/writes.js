// Writes from the pages: running one (the node prepares, the person confirms and signs in the page, the page sends
// and waits for the commit), reporting its progress and outcome, keeping the outcome on screen across the re-render
// that follows, and the hint shown instead of a write to whoever may not make it.
import { addStrings, t } from './i18n.js';
import { button, errorNotice, h, link, notice, replace } from './dom.js';
import { actionRoles, can, perform, who } from './session.js';

addStrings({
  en: {
    'write.working': 'Preparing the transaction…', 'write.progress': 'Signing and sending transaction {index} of {count}…',
    'write.done': 'Done. Recorded in block {height}:', 'write.proposal': 'This created proposal #{id}. It takes effect once enough organizations approve it:',
    'write.openProposal': 'open proposal #{id}', 'write.executed': 'Enough organizations approved: the change has been made.',
    'write.signIn': 'sign in', 'write.rolesJoin': ' or ',
  },
  zh: {
    'write.working': '正在生成交易…', 'write.progress': '正在签名并提交第 {index} 笔交易（共 {count} 笔）…',
    'write.done': '已完成，记入第 {height} 号区块：', 'write.proposal': '已发起第 {id} 号提案，待足够多的成员单位同意后生效：',
    'write.openProposal': '查看第 {id} 号提案', 'write.executed': '同意的单位已达到要求，变更已生效。',
    'write.signIn': '登录', 'write.rolesJoin': '或',
  },
});

let flash = null;

/** Shows `node` at the top of the next rendering of a page (after a write re-renders it). */
export function setFlash(node) { flash = node; }

/** The outcome of the last write, once (then forgotten), or null. */
export function takeFlash() {
  const kept = flash;
  flash = null;
  return kept;
}

/** The polite live region where a write reports its progress and refusals, `<testid>-status`. */
export function statusArea(testid) {
  return h('div', { class: 'form-status', attrs: { 'aria-live': 'polite' }, dataset: { testid: testid + '-status' } });
}

/** The governance proposal a write created (from its `governance.proposed` event), or null. */
function proposalCreated(results) {
  for (const result of results) {
    for (const event of result.receipt?.events ?? []) {
      if (event.name !== 'governance.proposed') continue;
      const id = (event.attributes ?? []).find(([name]) => name === 'proposal');
      if (id) return id[1];
    }
  }
  return null;
}

/** Whether a write's transactions carried out a governance change (the deciding vote). */
function changeExecuted(results) {
  return results.some(result => (result.receipt?.events ?? []).some(event => event.name === 'governance.executed'));
}

/** The notice of a committed write, `testid`: each transaction's block and hash, and the proposal it created. */
export function resultNotice(results, testid) {
  const proposal = proposalCreated(results);
  return h('div', { class: 'notice ok', attrs: { role: 'status' }, dataset: { testid } },
    results.map(result => h('p', {}, t('write.done', { height: result.height }), ' ',
      h('a', { href: `#/tx/${result.hash}`, class: 'mono', text: result.hash, dataset: { testid: 'write-hash' } }))),
    proposal ? h('p', {}, t('write.proposal', { id: proposal }), ' ',
      link(`/governance/proposals/${proposal}`, t('write.openProposal', { id: proposal }), { dataset: { testid: 'write-proposal' } })) : null,
    changeExecuted(results) ? h('p', { text: t('write.executed') }) : null);
}

/**
 * Performs `action` for the signed-in person (session.perform) with `args`, or with what `args()` returns (it may
 * throw an Error whose message is shown). Progress and refusals go to `status` (a refusal as `<testid>-error`, with
 * the contract's code); `controls` are disabled meanwhile. After the commit, `done(results, notice, status)` runs when
 * given; otherwise the page is rendered again with the result notice (`<testid>-result`) on top.
 */
export async function runWrite({ app, action, args, status, controls = [], testid = 'write', done }) {
  controls.forEach(control => { control.disabled = true; });
  try {
    const values = typeof args === 'function' ? await args() : args;
    replace(status, notice(t('write.working')));
    const results = await perform(action, values, {
      onProgress: (index, count) => replace(status, notice(t('write.progress', { index: index + 1, count }))),
    });
    const result = resultNotice(results, testid + '-result');
    if (done) await done(results, result, status);
    else { setFlash(result); app.refresh(); }
  } catch (error) {
    replace(status, h('div', { dataset: { testid: testid + '-error' } },
      error.code === 'console.cancelled' ? notice(error.message) : errorNotice(error)));
  } finally {
    controls.forEach(control => { control.disabled = false; });
  }
}

/**
 * A form that performs `action`: `controls` are its fields, `args()` builds the arguments, `done` as in runWrite.
 * Its status area is `<testid>-status`, its submit button `<testid>-submit`, the committed result `<testid>-result`.
 */
export function actionForm({ app, action, testid, controls, submitLabel, build, done, kind = 'primary' }) {
  const status = statusArea(testid);
  const submit = button(submitLabel, null, { type: 'submit', kind, testid: testid + '-submit' });
  const form = h('form', { class: 'form', dataset: { testid } }, controls, h('div', { class: 'actions' }, submit), status);
  form.addEventListener('submit', event => {
    event.preventDefault();
    runWrite({ app, action, args: build, status, controls: [submit], testid, done });
  });
  return form;
}

/** "Sign in as … to …" for an action the person cannot perform now, with a sign-in link when nobody is signed in. */
export function signInHint(action, what) {
  const roles = (actionRoles[action] || []).map(role => t('role.' + role)).join(t('write.rolesJoin'));
  return h('p', { class: 'notice', dataset: { testid: 'write-hint' } }, t('common.signInTo', { roles, what }),
    who() ? null : [' ', link(`/sign-in?next=${encodeURIComponent(location.hash.slice(1))}`, t('write.signIn'))]);
}

/** `build()` when the signed-in person may perform `action`; otherwise the hint saying who may. */
export function whenAllowed(action, what, build) {
  return can(action) ? build() : signInHint(action, what);
}
