// The console's shell: navigation, the language switch, the session label, search, and a small hash router that
// renders one page at a time into <main id="view">. Pages live in js/pages/ and register their routes here.
import { addStrings, currentLanguage, onLanguageChange, setLanguage, t } from './i18n.js';
import { get } from './api.js';
import { errorNotice, h, replace } from './dom.js';
import { onSessionChange, signOut, who } from './session.js';
import { strings } from './strings.js';
import * as explorer from './pages/explorer.js';
import * as operations from './pages/operations.js';
import * as governance from './pages/governance.js';
import * as services from './pages/services.js';
import * as signIn from './pages/sign-in.js';

addStrings(strings);

const routes = [];
let current = null; // {controller, timers}
let chain = null;

/**
 * The app object pages register against. `route(pattern, name, render)`: `pattern` like `/blocks/:height`; `render`
 * receives `{params, query, chain, signal, every}` and returns nodes (or a promise of them). `every(ms, fn)` runs
 * `fn` periodically until the person leaves the page; `signal` aborts then too.
 */
export const app = {
  route(pattern, name, render) {
    const keys = [];
    const source = pattern.replace(/:(\w+)/g, (_, key) => { keys.push(key); return '([^/]+)'; });
    routes.push({ regex: new RegExp(`^${source}$`), keys, name, render });
  },
  /** Goes to `route` (e.g. `/blocks/3`). */
  go(route) { if (location.hash === '#' + route) render(); else location.hash = '#' + route; },
  /** Renders the current page again (after a write, or a language switch). */
  refresh() { render(); },
  /** The chain's description from /v1/chain (suite, id, validators...). */
  chain() { return chain; },
};

const nav = [
  { group: 'nav.explorer', items: [['/', 'nav.overview'], ['/blocks', 'nav.blocks'], ['/events', 'nav.events']] },
  { group: 'nav.services', items: [['/catalog', 'nav.catalog'], ['/requests', 'nav.requests'], ['/trail', 'nav.trail'], ['/certificates', 'nav.certificates'], ['/evidence', 'nav.evidence']] },
  { group: 'nav.governance', items: [['/governance', 'nav.proposals'], ['/identities', 'nav.identities'], ['/contracts', 'nav.contracts']] },
  { group: 'nav.operations', items: [['/operations', 'nav.nodes']] },
];

function renderChrome() {
  document.title = `${t('app.name')} · ${t('app.tagline')}`;
  document.getElementById('brand-name').textContent = t('app.name');
  document.getElementById('skip-link').textContent = t('app.skip');
  document.getElementById('search-label').textContent = t('search.label');
  document.getElementById('search-input').placeholder = t('search.placeholder');
  document.getElementById('search-button').textContent = t('search.button');
  const languageButton = document.getElementById('language-button');
  languageButton.textContent = currentLanguage() === 'zh' ? 'English' : '中文';
  languageButton.lang = currentLanguage() === 'zh' ? 'en' : 'zh-CN';
  languageButton.setAttribute('aria-label', t('app.switchLanguage'));
  document.getElementById('nav').setAttribute('aria-label', t('nav.label'));
  const path = currentPath();
  replace(document.getElementById('nav'), nav.map(group => h('div', { class: 'nav-group' },
    h('span', { class: 'nav-title', text: t(group.group) }),
    h('ul', {}, group.items.map(([route, label]) => {
      const active = route === '/' ? path === '/' : path === route || path.startsWith(route + '/');
      return h('li', {}, h('a', { href: '#' + route, text: t(label), attrs: { 'aria-current': active ? 'page' : null } }));
    })))));
  const person = who();
  document.getElementById('session-label').textContent = person ? t('session.label', { name: person.name, organization: person.organization, role: t('role.' + person.role) }) : '';
  document.getElementById('sign-in-link').hidden = person !== null;
  document.getElementById('sign-in-link').textContent = t('session.signIn');
  document.getElementById('sign-out-button').hidden = person === null;
  document.getElementById('sign-out-button').textContent = t('session.signOut');
  document.getElementById('chain-label').textContent = chain ? `${chain.chain_id} · ${chain.suite === 'sm' ? t('chain.suiteSM') : t('chain.suiteIntl')}` : '';
  replace(document.getElementById('footer'), h('span', { text: t('app.footer') }), ' ', h('a', { href: '/openapi.yaml', text: 'OpenAPI' }), ' · ', h('a', { href: '/metrics', text: 'Prometheus' }));
}

function currentPath() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, '').split('?')[0]);
  return hash === '' ? '/' : hash;
}

function currentQuery() {
  const query = location.hash.split('?')[1] || '';
  return Object.fromEntries(new URLSearchParams(query));
}

async function render() {
  if (current) { current.controller.abort(); current.timers.forEach(clearInterval); }
  const controller = new AbortController();
  const timers = [];
  current = { controller, timers };
  const view = document.getElementById('view');
  const rawPath = location.hash.replace(/^#/, '').split('?')[0] || '/';
  const match = routes.map(route => ({ route, result: route.regex.exec(rawPath) })).find(({ result }) => result);
  renderChrome();
  document.documentElement.dataset.ready = 'false';
  view.removeAttribute('data-error');
  if (!match) {
    view.dataset.view = 'not-found';
    replace(view, h('h1', { text: t('app.notFound'), tabIndex: -1 }), h('p', {}, h('a', { href: '#/', text: t('nav.overview') })));
    document.documentElement.dataset.ready = 'true';
    return;
  }
  const params = Object.fromEntries(match.route.keys.map((key, index) => [key, decodeURIComponent(match.result[index + 1])]));
  view.dataset.view = match.route.name;
  replace(view, h('p', { class: 'loading', attrs: { role: 'status' }, text: t('common.loading') }));
  const every = (ms, fn) => { timers.push(setInterval(() => { if (!controller.signal.aborted) fn(); }, ms)); };
  try {
    const content = await match.route.render({ params, query: currentQuery(), chain, signal: controller.signal, every });
    if (controller.signal.aborted) return;
    replace(view, content);
  } catch (error) {
    if (controller.signal.aborted) return;
    view.dataset.error = error.code || 'error';
    replace(view, h('h1', { text: t('common.errorTitle'), tabIndex: -1 }), errorNotice(error));
  }
  document.documentElement.dataset.ready = 'true';
  const title = view.querySelector('h1');
  if (title && document.activeElement !== document.getElementById('search-input')) title.focus({ preventScroll: true });
}

async function boot() {
  for (const page of [explorer, operations, governance, services, signIn]) page.register(app);
  try { chain = await get('/v1/chain'); } catch { chain = null; }
  document.getElementById('language-button').addEventListener('click', () => setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh'));
  document.getElementById('sign-out-button').addEventListener('click', async () => { await signOut(); app.go('/'); });
  document.getElementById('search-form').addEventListener('submit', event => {
    event.preventDefault();
    const query = document.getElementById('search-input').value.trim();
    if (query) app.go('/search/' + encodeURIComponent(query));
  });
  onLanguageChange(() => render());
  onSessionChange(() => render());
  window.addEventListener('hashchange', render);
  await render();
}

boot();
