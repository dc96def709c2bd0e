// Identities: everyone who may sign on the chain (staff, services, validator nodes), filtered by role and
// organization, a page at a time; and one identity with its certificate's expiry.
import { addStrings, t } from '../../i18n.js';
import { get, segment } from '../../api.js';
import { badge, facts, field, h, hash, heading, link, number, section, table } from '../../dom.js';
import { expiryBadge } from './common.js';

addStrings({
  en: {
    'id.title': 'Identities', 'id.intro': 'Everyone who may sign on this chain — department staff, services and validator nodes — with their organization and role. Only an active identity can sign.',
    'id.role': 'Role', 'id.organization': 'Organization', 'id.any': 'All', 'id.filter': 'Show', 'id.next': 'Next page',
    'id.first': 'First page', 'id.name': 'Name', 'id.active': 'Status', 'id.isActive': 'active', 'id.inactive': 'deactivated',
    'id.certificate': 'Identity certificate', 'id.registered': 'Registered at block', 'id.address': 'Address',
    'id.publicKey': 'Public key', 'id.none': 'No identity matches.', 'id.noCertificate': 'enrolled without a certificate',
    'id.unknown': 'No identity is registered at this address.', 'id.back': 'All identities', 'id.readAt': 'As of block {height}.',
    'id.inactiveNote': 'This identity has been deactivated: the chain refuses its signatures.',
  },
  zh: {
    'id.title': '身份', 'id.intro': '可在本链签名的所有主体——部门工作人员、应用服务与验证节点——及其所属单位和角色。只有有效的身份才能签名。',
    'id.role': '角色', 'id.organization': '单位', 'id.any': '全部', 'id.filter': '筛选', 'id.next': '下一页',
    'id.first': '第一页', 'id.name': '名称', 'id.active': '状态', 'id.isActive': '有效', 'id.inactive': '已停用',
    'id.certificate': '身份证书', 'id.registered': '登记于区块', 'id.address': '地址',
    'id.publicKey': '公钥', 'id.none': '没有符合条件的身份。', 'id.noCertificate': '登记时未附证书',
    'id.unknown': '该地址未登记身份。', 'id.back': '全部身份', 'id.readAt': '数据截至第 {height} 号区块。',
    'id.inactiveNote': '该身份已停用：链上不再接受其签名。',
  },
});

const roles = ['admin', 'member', 'client', 'auditor', 'validator', 'observer'];

/** Whether an identity is active, as a badge (the list says a boolean, the detail a string). */
function activeBadge(active) {
  return active === true || active === 'true' ? badge(t('id.isActive'), 'ok') : badge(t('id.inactive'), 'bad');
}

/** The role and organization filter; it goes to the first page of the chosen filter. */
function filterForm(app, query, organizations) {
  const choice = (name, options, labelOf) => {
    const control = h('select', { name }, h('option', { value: '', text: t('id.any') }),
      options.map(option => h('option', { value: option, text: labelOf(option) })));
    control.value = query[name] ?? '';
    return control;
  };
  const form = h('form', { class: 'toolbar', dataset: { testid: 'identity-filter' } },
    field(t('id.role'), choice('role', roles, role => t(`role.${role}`))),
    field(t('id.organization'), choice('organization', organizations, name => name)),
    h('button', { type: 'submit', class: 'button', text: t('id.filter') }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const name of ['role', 'organization']) if (form.elements[name].value) chosen.set(name, form.elements[name].value);
    app.go(`/identities${chosen.size ? `?${chosen}` : ''}`);
  });
  return form;
}

/** `#/identities?role=&organization=&after=`. */
async function identitiesPage(app, { query, signal }) {
  const asked = new URLSearchParams({ limit: '50' });
  for (const name of ['role', 'organization', 'after']) if (query[name]) asked.set(name, query[name]);
  const [page, organizations] = await Promise.all([
    get(`/v1/identities?${asked}`, { signal }), get('/v1/governance/organizations', { signal })]);
  const next = new URLSearchParams(asked);
  next.delete('limit');
  next.set('after', page.next ?? '');
  const first = new URLSearchParams(next);
  first.delete('after');
  return [
    heading(t('id.title'), t('id.intro')),
    filterForm(app, query, organizations.organizations.map(o => o.name)),
    table([
      { label: t('id.name'), value: i => link(`/identities/${i.address}`, i.name, { dataset: { testid: 'identity-link' } }) },
      { label: t('id.organization'), value: i => i.organization },
      { label: t('id.role'), value: i => t(`role.${i.role}`) },
      { label: t('id.active'), value: i => activeBadge(i.active) },
      { label: t('id.certificate'), value: i => i.certificate_not_after_ms ? expiryBadge(i.certificate_not_after_ms) : h('span', { class: 'small', text: t('id.noCertificate') }) },
      { label: t('id.address'), value: i => hash(i.address) },
    ], page.identities, { caption: t('id.title'), empty: t('id.none'), testid: 'identity-table' }),
    h('p', { class: 'small', text: t('id.readAt', { height: page.height }) }),
    h('div', { class: 'actions' },
      query.after ? link(`/identities${first.size ? `?${first}` : ''}`, t('id.first'), { class: 'button secondary' }) : null,
      page.next ? link(`/identities?${next}`, t('id.next'), { class: 'button secondary', dataset: { testid: 'identity-next' } }) : null),
  ];
}

/**
 * The list entry of the identity at `address`, which carries its certificate's expiry (the record served with its
 * proof does not): the list in address order, starting after the address one below.
 */
async function listEntry(address, signal) {
  const before = (BigInt(`0x${address}`) - 1n).toString(16).padStart(40, '0');
  const page = await get(`/v1/identities?limit=1&after=${before}`, { signal });
  return page.identities.find(entry => entry.address === address.toLowerCase()) ?? null;
}

/** `#/identities/:address`. */
async function identityPage({ params, signal }) {
  const address = params.address.toLowerCase();
  const listed = /^[0-9a-f]{40}$/.test(address) && /[1-9a-f]/.test(address);
  const [record, entry] = await Promise.all([
    get(`/v1/identities/${segment(address)}`, { signal }), listed ? listEntry(address, signal) : null]);
  if (!record.present) return [heading(t('id.title')), h('p', { class: 'empty', text: t('id.unknown') }), h('p', {}, link('/identities', t('id.back')))];
  const identity = record.decoded;
  return [
    heading(identity.name, `${identity.organization} · ${t(`role.${identity.role}`)}`),
    identity.active === 'true' ? null : h('div', { class: 'notice bad', attrs: { role: 'status' }, text: t('id.inactiveNote') }),
    section(t('common.details'), h('div', { dataset: { testid: 'identity' } }, facts([
      [t('id.name'), identity.name],
      [t('id.organization'), link(`/identities?organization=${encodeURIComponent(identity.organization)}`, identity.organization)],
      [t('id.role'), t(`role.${identity.role}`)],
      [t('id.active'), activeBadge(identity.active)],
      [t('id.certificate'), entry?.certificate_not_after_ms ? expiryBadge(entry.certificate_not_after_ms) : t('id.noCertificate')],
      [t('id.registered'), link(`/blocks/${identity.registered_at}`, number(identity.registered_at))],
      [t('id.address'), h('span', { class: 'mono', text: identity.address })],
      [t('id.publicKey'), h('span', { class: 'mono', text: identity.public_key })],
    ]))),
    h('p', {}, link('/identities', t('id.back'))),
  ];
}

/** Registers `#/identities` and `#/identities/:address`. */
export function register(app) {
  app.route('/identities', 'identities', context => identitiesPage(app, context));
  app.route('/identities/:address', 'identity', identityPage);
}
