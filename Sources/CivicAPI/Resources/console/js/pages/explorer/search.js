// #/search/:q: what the search box typed means. A number is a block height; 64 hex digits may be a transaction, a
// block, an evidence fingerprint or a certificate holder's fingerprint; 40 hex digits an identity's address; other
// text a certificate id, a catalog resource id or an identity's name. One hit: go there. Several: list them. None:
// say what was tried.
import { get, segment } from '../../api.js';
import { h, heading, link, notice } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { hashAlgorithm } from '../../fingerprint.js';

addStrings({
  en: {
    'explorer.search.title': 'Search: {q}', 'explorer.search.hits': 'Several things match; choose one.',
    'explorer.search.none': 'Nothing on this chain matches "{q}".', 'explorer.search.tried': 'What was looked for:',
    'explorer.search.hint': 'You can search for a block height (e.g. 42), a transaction or block fingerprint (64 hexadecimal characters), an evidence fingerprint, an address (40 hexadecimal characters), a certificate id, a catalog resource id, or a person\'s or service\'s registered name.',
    'explorer.search.kind.block': 'Block', 'explorer.search.kind.transaction': 'Transaction', 'explorer.search.kind.evidence': 'Evidence record',
    'explorer.search.kind.certificate': 'Certificate', 'explorer.search.kind.resource': 'Data catalog resource', 'explorer.search.kind.identity': 'Identity',
    'explorer.search.try.transaction': 'a transaction with this fingerprint', 'explorer.search.try.blockHash': 'a block with this fingerprint',
    'explorer.search.try.evidence': 'an evidence record with this {alg} fingerprint', 'explorer.search.try.holder': 'certificates held by this holder fingerprint',
    'explorer.search.try.identity': 'an identity at this address', 'explorer.search.try.certificate': 'a certificate with this id',
    'explorer.search.try.resource': 'a data catalog resource with this id', 'explorer.search.try.name': 'an identity with this name',
    'explorer.search.try.height': 'a block at this height',
  },
  zh: {
    'explorer.search.title': '搜索：{q}', 'explorer.search.hits': '有多项匹配，请选择。',
    'explorer.search.none': '本链上没有与“{q}”匹配的内容。', 'explorer.search.tried': '已查找：',
    'explorer.search.hint': '可搜索：区块高度（如 42）、交易或区块指纹（64 位十六进制）、存证指纹、地址（40 位十六进制）、证照编号、数据目录资源编号，或人员、系统的登记名称。',
    'explorer.search.kind.block': '区块', 'explorer.search.kind.transaction': '交易', 'explorer.search.kind.evidence': '存证记录',
    'explorer.search.kind.certificate': '电子证照', 'explorer.search.kind.resource': '数据目录资源', 'explorer.search.kind.identity': '身份',
    'explorer.search.try.transaction': '该指纹对应的交易', 'explorer.search.try.blockHash': '该指纹对应的区块',
    'explorer.search.try.evidence': '该 {alg} 指纹对应的存证记录', 'explorer.search.try.holder': '该持证人指纹名下的证照',
    'explorer.search.try.identity': '该地址对应的身份', 'explorer.search.try.certificate': '该编号的电子证照',
    'explorer.search.try.resource': '该编号的数据目录资源', 'explorer.search.try.name': '该名称的身份',
    'explorer.search.try.height': '该高度的区块',
  },
});

/** Runs a lookup; a "not found" answer (404, or a state entry that is not present) is no hit rather than an error. */
async function lookup(path, toHits, signal) {
  try {
    return toHits(await get(path, { signal }));
  } catch (error) {
    if (error.status === 404 || error.status === 400) return [];
    throw error;
  }
}

const hit = (kind, label, route) => ({ kind, label, route });

/** The lookups that fit `q`, each `{tried, run(signal) → hits}`. */
function lookupsFor(q, chain) {
  const value = q.replace(/^0x/i, '');
  if (/^\d+$/.test(value)) {
    return [{ tried: t('explorer.search.try.height'), run: signal => lookup(`/v1/blocks/${value}`, block => [hit('block', `#${block.header.height}`, `/blocks/${block.header.height}`)], signal) }];
  }
  if (/^[0-9a-f]{64}$/i.test(value)) {
    const fp = value.toLowerCase();
    const alg = hashAlgorithm(chain?.suite ?? 'sm');
    return [
      { tried: t('explorer.search.try.transaction'), run: signal => lookup(`/v1/transactions/${fp}`, found => [hit('transaction', `${found.transaction.contract}.${found.transaction.method}`, `/tx/${fp}`)], signal) },
      { tried: t('explorer.search.try.blockHash'), run: signal => lookup(`/v1/blocks/${fp}`, block => [hit('block', `#${block.header.height}`, `/blocks/${block.header.height}`)], signal) },
      { tried: t('explorer.search.try.evidence', { alg: alg.toUpperCase() }), run: signal => lookup(`/v1/evidence/${alg}/${fp}`, state => (state.present ? [hit('evidence', state.decoded?.label ?? fp, `/evidence?fingerprint=${fp}`)] : []), signal) },
      { tried: t('explorer.search.try.holder'), run: signal => lookup(`/v1/certificates/by-holder/${fp}`, list => list.certificates.map(certificate => hit('certificate', `${certificate.id} · ${certificate.type}`, `/certificates/${segment(certificate.id)}`)), signal) },
    ];
  }
  if (/^[0-9a-f]{40}$/i.test(value)) {
    const address = value.toLowerCase();
    return [{ tried: t('explorer.search.try.identity'), run: signal => lookup(`/v1/identities/${address}`, state => (state.present ? [hit('identity', `${state.decoded.name} · ${state.decoded.organization}`, `/identities/${address}`)] : []), signal) }];
  }
  return [
    { tried: t('explorer.search.try.certificate'), run: signal => lookup(`/v1/certificates/${segment(q)}`, certificate => [hit('certificate', `${certificate.id} · ${certificate.type}`, `/certificates/${segment(certificate.id)}`)], signal) },
    { tried: t('explorer.search.try.resource'), run: signal => lookup(`/v1/catalog/resources/${segment(q)}`, resource => [hit('resource', `${resource.id} · ${resource.organization ?? ''}`, `/catalog/${segment(resource.id)}`)], signal) },
    { tried: t('explorer.search.try.name'), run: signal => identitiesNamed(q, signal) },
  ];
}

/** Identities whose registered name is `name` (any case), reading `GET /v1/identities` a page at a time (at most 5). */
async function identitiesNamed(name, signal) {
  const wanted = name.toLowerCase();
  const hits = [];
  let after = null;
  for (let pages = 0; pages < 5; pages += 1) {
    const query = new URLSearchParams({ limit: '200' });
    if (after) query.set('after', after);
    const page = await lookup(`/v1/identities?${query}`, answer => [answer], signal);
    if (page.length === 0) break; // a node without the list
    for (const identity of page[0].identities) {
      if (identity.name.toLowerCase() === wanted) hits.push(hit('identity', `${identity.name} · ${identity.organization}`, `/identities/${identity.address}`));
    }
    after = page[0].next;
    if (!after) break;
  }
  return hits;
}

async function searchPage({ params, chain, signal }, app) {
  const q = params.q.trim();
  const lookups = lookupsFor(q, chain);
  const hits = (await Promise.all(lookups.map(({ run }) => run(signal)))).flat();
  if (hits.length === 1 && !signal.aborted) {
    // Replace the search in the history, so that "back" from the hit does not land here and bounce forward again.
    history.replaceState(null, '', '#' + hits[0].route);
    app.go(hits[0].route);
    return [];
  }
  const title = heading(t('explorer.search.title', { q }));
  if (hits.length === 0) {
    return [title,
      h('div', { dataset: { testid: 'search-none' } }, notice(t('explorer.search.none', { q }), 'warn')),
      h('p', { text: t('explorer.search.tried') }),
      h('ul', {}, lookups.map(({ tried }) => h('li', { text: tried }))),
      h('p', { class: 'intro', text: t('explorer.search.hint') })];
  }
  return [title, h('p', { text: t('explorer.search.hits') }),
    h('ul', { dataset: { testid: 'search-hits' } }, hits.map(found => h('li', { dataset: { testid: 'search-hit', kind: found.kind } },
      h('strong', { text: `${t('explorer.search.kind.' + found.kind)}: ` }), link(found.route, found.label))))];
}

/** Registers `#/search/:q`. */
export function register(app) {
  app.route('/search/:q', 'search', context => searchPage(context, app));
}
