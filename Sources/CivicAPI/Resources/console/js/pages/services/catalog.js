// The data catalog (Docs/0016): what each department shares, under which share type, with which fields; one
// resource with its schema, versions, grants and the record of who accessed it; publishing, requesting, withdrawing.
import { get, segment } from '../../api.js';
import { badge, button, facts, field, h, heading, link, notice, number, section, table, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { can, who } from '../../session.js';
import {
  actionForm, addressLink, apiQuery, options, organizationList, readTrail, requestStatusBadge, sensitivityBadge, setFlash,
  shareTypeBadge, signInHint, takeFlash, trailNotes, windowSelect, windowStart, purposeCell,
} from './common.js';
import { trailTable } from './trail-table.js';

addStrings({
  en: {
    'catalog.title': 'Data catalog',
    'catalog.intro': 'Every department lists here the data it holds and whether it shares it: unconditionally (any department may use it at once), conditionally (the owner approves each request) or not at all. The list is kept on the chain, so every department sees the same catalog.',
    'catalog.filters': 'Search the catalog', 'catalog.text': 'Words in the id, title or description', 'catalog.field': 'Has the field',
    'catalog.shareType': 'Share type', 'catalog.anyShareType': 'any share type',
    'catalog.col.resource': 'Resource', 'catalog.col.department': 'Department', 'catalog.col.fields': 'Fields (sensitivity)',
    'catalog.col.frequency': 'Updated', 'catalog.col.version': 'Version', 'catalog.withdrawn': 'withdrawn',
    'catalog.next': 'Next page', 'catalog.first': 'First page', 'catalog.empty': 'No resource matches.',
    'catalog.publish': 'Publish a resource', 'catalog.publishVersion': 'Publish a new version',
    'catalog.publishIntro': 'Publishing puts the description of your department\'s data on the chain (never the data itself). Publishing an id your department already has makes its next version.',
    'catalog.publishWhat': 'publish your department\'s data',
    'catalog.id': 'Id (a-z, 0-9, ".", "_", "-")', 'catalog.titleField': 'Title', 'catalog.description': 'Description',
    'catalog.frequency': 'Update frequency', 'catalog.conditions': 'Conditions (for conditional share)', 'catalog.gateway': 'Gateway URL of your department',
    'catalog.fieldsLegend': 'Fields', 'catalog.fieldName': 'Field name (a-z, 0-9, _)', 'catalog.fieldType': 'Type',
    'catalog.fieldSensitivity': 'Sensitivity', 'catalog.fieldDescription': 'What it holds', 'catalog.addField': 'Add a field',
    'catalog.removeField': 'Remove field {number}', 'catalog.fieldRow': 'Field {number}', 'catalog.noFields': 'Add at least one field.',
    'catalog.publishSubmit': 'Sign and publish',
    'catalog.schema': 'Schema', 'catalog.col.name': 'Field', 'catalog.col.type': 'Type', 'catalog.col.sensitivity': 'Sensitivity', 'catalog.col.description': 'Description',
    'catalog.owner': 'Owner', 'catalog.conditionsLabel': 'Conditions', 'catalog.gatewayLabel': 'Gateway', 'catalog.published': 'Published', 'catalog.publishedBy': 'Published by',
    'catalog.status': 'Status', 'catalog.open': 'open for requests',
    'catalog.accessTitle': 'Who accessed this resource',
    'catalog.accessIntro': 'Every time a department fetches this data, the owner\'s gateway records it on the chain: who asked, which fields, for which purpose, and whether it was served. Nobody can change these records afterwards.',
    'catalog.accessEmpty': 'Nobody accessed this resource in this period.', 'catalog.accessAll': 'Show all time',
    'catalog.grants': 'Requests and grants for this resource', 'catalog.grantsEmpty': 'No department has asked for it yet.',
    'catalog.col.request': 'No.', 'catalog.col.consumer': 'Requesting department', 'catalog.col.status': 'Status', 'catalog.col.until': 'Valid until',
    'catalog.versions': 'Versions', 'catalog.col.published': 'Published', 'catalog.col.by': 'By',
    'catalog.request': 'Request this data', 'catalog.requestWhat': 'request data for your department',
    'catalog.requestIntro': 'Pick the fields you need and say why. Unconditional resources are granted at once; conditional ones wait for the owner\'s decision.',
    'catalog.purpose': 'Purpose', 'catalog.serviceItem': 'Service item (事项), e.g. housing.purchase-qualification', 'catalog.days': 'Days the grant lasts (1-366)',
    'catalog.requestSubmit': 'Sign and send the request', 'catalog.noFieldsChosen': 'Choose at least one field.',
    'catalog.notShared': 'This resource is not shared: the owner does not accept requests for it.',
    'catalog.withdrawnNotice': 'The owner withdrew this resource: no new requests; existing grants run until they end.',
    'catalog.withdraw': 'Withdraw this resource', 'catalog.withdrawIntro': 'Withdrawing stops new requests; grants already given run until they end.',
    'catalog.withdrawSubmit': 'Sign and withdraw',
  },
  zh: {
    'catalog.title': '数据目录',
    'catalog.intro': '各部门在这里登记自己掌握的数据及其共享方式：无条件共享（其他部门可直接使用）、有条件共享（每次申请须经数据所有部门审批）或不予共享。目录记录在区块链上，各部门看到的是同一份目录。',
    'catalog.filters': '检索目录', 'catalog.text': '编号、名称或说明中的文字', 'catalog.field': '包含字段',
    'catalog.shareType': '共享类型', 'catalog.anyShareType': '全部共享类型',
    'catalog.col.resource': '资源', 'catalog.col.department': '所属部门', 'catalog.col.fields': '字段（敏感级别）',
    'catalog.col.frequency': '更新频率', 'catalog.col.version': '版本', 'catalog.withdrawn': '已撤回',
    'catalog.next': '下一页', 'catalog.first': '第一页', 'catalog.empty': '没有符合条件的资源。',
    'catalog.publish': '发布资源', 'catalog.publishVersion': '发布新版本',
    'catalog.publishIntro': '发布是把本部门数据的目录信息写到链上（不是数据本身）。如果编号已由本部门发布，则生成新版本。',
    'catalog.publishWhat': '发布本部门的数据目录',
    'catalog.id': '编号（a-z、0-9、“.”、“_”、“-”）', 'catalog.titleField': '名称', 'catalog.description': '说明',
    'catalog.frequency': '更新频率', 'catalog.conditions': '共享条件（有条件共享时填写）', 'catalog.gateway': '本部门交换网关地址',
    'catalog.fieldsLegend': '字段', 'catalog.fieldName': '字段名（a-z、0-9、_）', 'catalog.fieldType': '类型',
    'catalog.fieldSensitivity': '敏感级别', 'catalog.fieldDescription': '字段含义', 'catalog.addField': '添加字段',
    'catalog.removeField': '删除第 {number} 个字段', 'catalog.fieldRow': '第 {number} 个字段', 'catalog.noFields': '请至少添加一个字段。',
    'catalog.publishSubmit': '签名并发布',
    'catalog.schema': '数据结构', 'catalog.col.name': '字段', 'catalog.col.type': '类型', 'catalog.col.sensitivity': '敏感级别', 'catalog.col.description': '说明',
    'catalog.owner': '所属部门', 'catalog.conditionsLabel': '共享条件', 'catalog.gatewayLabel': '交换网关', 'catalog.published': '发布时间', 'catalog.publishedBy': '发布人',
    'catalog.status': '状态', 'catalog.open': '可申请',
    'catalog.accessTitle': '谁调用了这份数据',
    'catalog.accessIntro': '其他部门每调用一次这份数据，数据所有部门的交换网关都会把这次调用记录到区块链上：谁调用、哪些字段、什么用途、是否提供。这些记录事后任何人都无法修改。',
    'catalog.accessEmpty': '这段时间内没有部门调用这份数据。', 'catalog.accessAll': '查看全部时间',
    'catalog.grants': '该资源的申请与授权', 'catalog.grantsEmpty': '还没有部门申请。',
    'catalog.col.request': '编号', 'catalog.col.consumer': '申请部门', 'catalog.col.status': '状态', 'catalog.col.until': '有效期至',
    'catalog.versions': '历史版本', 'catalog.col.published': '发布时间', 'catalog.col.by': '发布人',
    'catalog.request': '申请使用这份数据', 'catalog.requestWhat': '为本部门申请数据',
    'catalog.requestIntro': '勾选需要的字段并说明用途。无条件共享的资源立即授权；有条件共享的资源须等待数据所有部门审批。',
    'catalog.purpose': '用途', 'catalog.serviceItem': '办理事项编码，例如 housing.purchase-qualification', 'catalog.days': '授权天数（1-366）',
    'catalog.requestSubmit': '签名并提交申请', 'catalog.noFieldsChosen': '请至少选择一个字段。',
    'catalog.notShared': '该资源不予共享，数据所有部门不受理申请。',
    'catalog.withdrawnNotice': '数据所有部门已撤回该资源：不再受理新申请，已有授权到期为止。',
    'catalog.withdraw': '撤回该资源', 'catalog.withdrawIntro': '撤回后不再受理新的申请；已授权的到期为止。',
    'catalog.withdrawSubmit': '签名并撤回',
  },
});

const FIELD_TYPES = ['string', 'integer', 'decimal', 'date', 'boolean', 'binary'];
const SENSITIVITIES = ['open', 'internal', 'sensitive', 'personal'];
const SHARE_TYPES = ['unconditional', 'conditional', 'not_shared'];
/** Most earlier versions a resource page reads. */
const VERSIONS_SHOWN = 20;

/** Registers `#/catalog` and `#/catalog/:id`. */
export function register(app) {
  app.route('/catalog', 'catalog', context => catalogPage(app, context));
  app.route('/catalog/:id', 'catalog-resource', context => resourcePage(app, context));
}

async function catalogPage(app, { query, signal }) {
  const search = new URLSearchParams();
  for (const name of ['organization', 'share_type', 'field', 'q', 'after']) if (query[name]) search.set(name, query[name]);
  const answer = await get('/v1/catalog/resources?' + apiQuery(search), { signal });
  const organizations = await organizationList(signal);
  const filters = h('form', { class: 'toolbar', dataset: { testid: 'catalog-filters' }, attrs: { 'aria-label': t('catalog.filters') } },
    field(t('svc.department'), h('input', { name: 'organization', value: query.organization ?? '', attrs: { list: organizations.id } })),
    field(t('catalog.shareType'), h('select', { name: 'share_type' },
      options([['', t('catalog.anyShareType')], ...SHARE_TYPES.map(type => [type, t('svc.share.' + type)])], query.share_type ?? ''))),
    field(t('catalog.field'), h('input', { name: 'field', value: query.field ?? '' })),
    field(t('catalog.text'), h('input', { name: 'q', type: 'search', value: query.q ?? '' })),
    button(t('svc.filter'), null, { type: 'submit', testid: 'catalog-search' }), organizations);
  filters.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const element of filters.elements) if (element.name && element.value.trim()) next.set(element.name, element.value.trim());
    app.go('/catalog' + (next.size ? '?' + next : ''));
  });
  const pageLinks = [];
  if (query.after) { search.delete('after'); pageLinks.push(link('/catalog' + (search.size ? '?' + search : ''), t('catalog.first'))); }
  if (answer.next) { search.set('after', answer.next); pageLinks.push(link('/catalog?' + search, t('catalog.next'), { dataset: { testid: 'catalog-next' } })); }
  return [heading(t('catalog.title'), t('catalog.intro')), takeFlash(), filters,
    table([
      { label: t('catalog.col.resource'), value: item => h('span', {}, link('/catalog/' + encodeURIComponent(item.id), item.title || item.id), h('br'), h('span', { class: 'mono small', text: item.id })) },
      { label: t('catalog.col.department'), value: item => item.organization },
      { label: t('catalog.shareType'), value: item => [shareTypeBadge(item.share_type), item.withdrawn ? [' ', badge(t('catalog.withdrawn'), 'bad')] : null] },
      { label: t('catalog.col.fields'), value: item => fieldList(item.fields) },
      { label: t('catalog.col.frequency'), value: item => item.update_frequency || '—' },
      { label: t('catalog.col.version'), class: 'num', value: item => number(item.version) },
    ], answer.resources, { caption: t('catalog.title'), empty: t('catalog.empty'), testid: 'catalog-table' }),
    pageLinks.length ? h('p', { class: 'actions' }, pageLinks) : null,
    section(t('catalog.publish'), h('p', { class: 'intro', text: t('catalog.publishIntro') }),
      can('catalog.publish') ? publishForm(app, null) : signInHint('catalog.publish', t('catalog.publishWhat')))];
}

/** Field names, each with its sensitivity. */
function fieldList(fields) {
  return h('ul', { class: 'check-list' }, fields.map(item => h('li', {}, h('span', { class: 'mono', text: item.name }), sensitivityBadge(item.sensitivity))));
}

async function resourcePage(app, { params, query, signal }) {
  const id = params.id;
  const window = query.window ?? '7';
  const resource = await get('/v1/catalog/resources/' + segment(id), { signal });
  const [trail, requests, versions] = await Promise.all([
    readTrail('resources', id, { since: windowStart(window), proofs: query.proofs === '1', signal }),
    get('/v1/catalog/requests?' + apiQuery({ limit: 200, organization: resource.organization }), { signal }),
    readVersions(resource, signal),
  ]);
  const accesses = trail.rows.filter(row => row.event === 'catalog.access');
  const person = who();
  const isOwner = person !== null && person.organization === resource.organization;
  return [heading(resource.title || resource.id, resource.description), takeFlash(),
    h('div', { class: 'card' }, facts([
      [t('catalog.owner'), resource.organization],
      [t('catalog.shareType'), shareTypeBadge(resource.share_type)],
      [t('catalog.conditionsLabel'), resource.conditions || undefined],
      [t('catalog.frequency'), resource.update_frequency || '—'],
      [t('catalog.gatewayLabel'), resource.gateway ? h('span', { class: 'mono', text: resource.gateway }) : '—'],
      [t('catalog.col.version'), String(resource.version)],
      [t('catalog.published'), time(resource.time)],
      [t('catalog.publishedBy'), addressLink(resource.published_by)],
      [t('catalog.status'), resource.withdrawn ? badge(t('catalog.withdrawn'), 'bad') : badge(t('catalog.open'), 'ok')],
    ])),
    accessSection(app, id, window, query, trail, accesses),
    section(t('catalog.schema'), table([
      { label: t('catalog.col.name'), value: item => h('span', { class: 'mono', text: item.name }) },
      { label: t('catalog.col.type'), value: item => t('svc.type.' + item.type) },
      { label: t('catalog.col.sensitivity'), value: item => sensitivityBadge(item.sensitivity) },
      { label: t('catalog.col.description'), value: item => item.description || '—' },
    ], resource.fields, { caption: t('catalog.schema'), testid: 'catalog-schema' })),
    section(t('catalog.grants'), grantsTable(requests.requests.filter(request => request.resource === id))),
    section(t('catalog.versions'), table([
      { label: t('catalog.col.version'), class: 'num', value: item => number(item.version) },
      { label: t('catalog.col.published'), value: item => time(item.time) },
      { label: t('catalog.col.by'), value: item => addressLink(item.publishedBy) },
      { label: t('catalog.shareType'), value: item => shareTypeBadge(item.shareType) },
      { label: t('svc.col.fields'), value: item => item.fields.join(', ') },
      { label: t('common.height'), class: 'num', value: item => link('/blocks/' + item.height, number(item.height)) },
    ], versions, { caption: t('catalog.versions'), testid: 'catalog-versions' })),
    requestSection(app, resource),
    isOwner && can('catalog.publish') ? section(t('catalog.publishVersion'), publishForm(app, resource)) : null,
    isOwner && can('catalog.withdraw') && !resource.withdrawn ? section(t('catalog.withdraw'),
      actionForm({ app, action: 'catalog.withdraw', testid: 'catalog-withdraw', kind: 'danger', controls: h('p', { text: t('catalog.withdrawIntro') }),
        submitLabel: t('catalog.withdrawSubmit'), build: () => ({ resource: id }) })) : null];
}

/** "Who accessed this resource": the period select and the access records, newest first. */
function accessSection(app, id, window, query, trail, accesses) {
  const select = windowSelect(window);
  select.addEventListener('change', () => {
    const next = new URLSearchParams({ ...query, window: select.value });
    app.go(`/catalog/${encodeURIComponent(id)}?${next}`);
  });
  const emptyText = t('catalog.accessEmpty');
  return h('section', { class: 'panel', dataset: { testid: 'catalog-access' }, attrs: { 'aria-labelledby': 'catalog-access-title' } },
    h('h2', { id: 'catalog-access-title', text: t('catalog.accessTitle') }),
    h('p', { class: 'intro', text: t('catalog.accessIntro') }),
    h('div', { class: 'toolbar' }, field(t('svc.window'), select)),
    trailTable(accesses, { testid: 'catalog-access-table', empty: emptyText, caption: t('catalog.accessTitle') }),
    accesses.length === 0 && window !== 'all' ? h('p', {}, link(`/catalog/${encodeURIComponent(id)}?window=all`, t('catalog.accessAll'))) : null,
    trailNotes(trail));
}

/** The requests for one resource. */
function grantsTable(requests) {
  return table([
    { label: t('catalog.col.request'), class: 'num', value: item => link('/requests/' + item.id, '#' + item.id) },
    { label: t('catalog.col.consumer'), value: item => item.consumer },
    { label: t('svc.col.fields'), value: item => item.fields.join(', ') },
    { label: t('svc.col.purpose'), value: purposeCell },
    { label: t('catalog.col.status'), value: requestStatusBadge },
    { label: t('catalog.col.until'), value: item => (item.expires_at ? time(item.expires_at) : '—') },
  ], requests, { caption: t('catalog.grants'), empty: t('catalog.grantsEmpty'), testid: 'catalog-grants' });
}

/** The request form for a resource, or why there is none. */
function requestSection(app, resource) {
  let body;
  if (resource.withdrawn) body = notice(t('catalog.withdrawnNotice'), 'warn');
  else if (resource.share_type === 'not_shared') body = notice(t('catalog.notShared'), 'warn');
  else if (!can('catalog.request')) body = signInHint('catalog.request', t('catalog.requestWhat'));
  else {
    const fieldChecks = h('fieldset', {}, h('legend', { text: t('catalog.fieldsLegend') }),
      h('div', { class: 'checks' }, resource.fields.map(item => h('label', {},
        h('input', { type: 'checkbox', name: 'fields', value: item.name, checked: true }), item.name, ' ', sensitivityBadge(item.sensitivity)))));
    const purpose = h('input', { name: 'purpose', required: true, dataset: { testid: 'catalog-request-purpose' } });
    const serviceItem = h('input', { name: 'service_item', required: true, dataset: { testid: 'catalog-request-service-item' } });
    const days = h('input', { name: 'days', type: 'number', min: 1, max: 366, value: 30 });
    body = [h('p', { class: 'intro', text: t('catalog.requestIntro') }), actionForm({
      app, action: 'catalog.request', testid: 'catalog-request', submitLabel: t('catalog.requestSubmit'),
      controls: [fieldChecks, field(t('catalog.purpose'), purpose), field(t('catalog.serviceItem'), serviceItem), field(t('catalog.days'), days)],
      build: () => {
        const fields = [...fieldChecks.querySelectorAll('input:checked')].map(input => input.value);
        if (fields.length === 0) throw new Error(t('catalog.noFieldsChosen'));
        return { resource: resource.id, fields, purpose: purpose.value.trim(), service_item: serviceItem.value.trim(), days: Number(days.value) };
      },
    })];
  }
  return section(t('catalog.request'), body);
}

/**
 * The publish form: the JSON of `civic catalog publish`, with a fields editor (one row per field: name, type,
 * sensitivity, description). `resource` prefills it for a new version.
 */
function publishForm(app, resource) {
  const input = (name, value = '', props = {}) => h('input', { name, value, ...props, dataset: { testid: 'catalog-publish-' + name } });
  const id = input('id', resource?.id ?? '', { required: true, readOnly: Boolean(resource), spellcheck: false });
  const title = input('title', resource?.title ?? '', { required: true });
  const description = h('textarea', { name: 'description', value: resource?.description ?? '', rows: 2 });
  const frequency = input('update_frequency', resource?.update_frequency ?? 'daily');
  const shareType = h('select', { name: 'share_type', dataset: { testid: 'catalog-publish-share-type' } },
    options(SHARE_TYPES.map(type => [type, t('svc.share.' + type)]), resource?.share_type ?? 'conditional'));
  const conditions = input('conditions', resource?.conditions ?? '');
  const gateway = input('gateway', resource?.gateway ?? '');
  const rows = h('div', { class: 'field-rows' });
  const renumber = () => [...rows.children].forEach((row, index) => {
    row.querySelector('legend').textContent = t('catalog.fieldRow', { number: index + 1 });
    row.querySelector('button').textContent = t('catalog.removeField', { number: index + 1 });
  });
  const addRow = item => { rows.append(fieldRow(item, () => renumber())); renumber(); };
  (resource?.fields ?? [{ name: '', type: 'string', sensitivity: 'internal', description: '' }]).forEach(addRow);
  const controls = [field(t('catalog.id'), id), field(t('catalog.titleField'), title), field(t('catalog.description'), description),
    field(t('catalog.shareType'), shareType), field(t('catalog.conditions'), conditions), field(t('catalog.frequency'), frequency),
    field(t('catalog.gateway'), gateway),
    h('fieldset', {}, h('legend', { text: t('catalog.fieldsLegend') }), rows,
      button(t('catalog.addField'), () => addRow({ name: '', type: 'string', sensitivity: 'internal', description: '' }), { kind: 'secondary', testid: 'catalog-publish-add-field' }))];
  return actionForm({
    app, action: 'catalog.publish', testid: 'catalog-publish', submitLabel: t('catalog.publishSubmit'), controls,
    build: () => {
      const fields = [...rows.children].map(row => ({
        name: row.querySelector('[name=field_name]').value.trim(), type: row.querySelector('[name=field_type]').value,
        sensitivity: row.querySelector('[name=field_sensitivity]').value, description: row.querySelector('[name=field_description]').value.trim(),
      }));
      if (fields.length === 0) throw new Error(t('catalog.noFields'));
      return { resource: {
        id: id.value.trim(), title: title.value.trim(), description: description.value.trim(), fields,
        update_frequency: frequency.value.trim(), share_type: shareType.value,
        conditions: shareType.value === 'conditional' ? conditions.value.trim() : '', gateway: gateway.value.trim(),
      } };
    },
    done: resource ? undefined : (results, result) => {
      setFlash(result);
      app.go('/catalog/' + encodeURIComponent(id.value.trim()));
    },
  });
}

/** One row of the fields editor; `removed()` runs after the row is taken out. */
function fieldRow(item, removed) {
  const row = h('fieldset', { class: 'field-row', dataset: { testid: 'catalog-publish-field' } }, h('legend'),
    field(t('catalog.fieldName'), h('input', { name: 'field_name', value: item.name, required: true, spellcheck: false })),
    field(t('catalog.fieldType'), h('select', { name: 'field_type' }, options(FIELD_TYPES.map(type => [type, t('svc.type.' + type)]), item.type))),
    field(t('catalog.fieldSensitivity'), h('select', { name: 'field_sensitivity' }, options(SENSITIVITIES.map(level => [level, t('svc.sensitivity.' + level)]), item.sensitivity))),
    field(t('catalog.fieldDescription'), h('input', { name: 'field_description', value: item.description ?? '' })));
  row.append(button('', () => { row.remove(); removed(); }, { kind: 'secondary', testid: 'catalog-publish-remove-field' }));
  return row;
}

/**
 * The earlier versions of `resource`, newest first, read from the state key `catalog/resource-version/<id>/<v>`
 * that the catalog contract keeps for every version (at most VERSIONS_SHOWN).
 */
async function readVersions(resource, signal) {
  const prefix = new TextEncoder().encode(`catalog/resource-version/${resource.id}/`);
  const numbers = [];
  for (let version = resource.version; version >= 1 && numbers.length < VERSIONS_SHOWN; version -= 1) numbers.push(version);
  const read = async version => {
    const key = new Uint8Array(prefix.length + 4);
    key.set(prefix);
    new DataView(key.buffer).setUint32(prefix.length, version);
    try {
      const entry = await get('/v1/state/' + [...key].map(byte => byte.toString(16).padStart(2, '0')).join(''), { signal });
      return entry.present ? decodeResource(entry.value) : null;
    } catch {
      return null;
    }
  };
  return (await Promise.all(numbers.map(read))).filter(Boolean);
}

/** The few facts of a canonical `DataResource` (hex) that the versions table shows. */
function decodeResource(valueHex) {
  const bytes = Uint8Array.from(valueHex.match(/../g), pair => parseInt(pair, 16));
  let offset = 0;
  const varint = () => { let value = 0, shift = 0, byte; do { byte = bytes[offset++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80); return value; };
  const string = () => { const length = varint(); offset += length; return new TextDecoder().decode(bytes.subarray(offset - length, offset)); };
  const uint = width => { let value = 0; for (let index = 0; index < width; index += 1) value = value * 256 + bytes[offset++]; return value; };
  string(); string(); string(); // id, title, description
  const fields = [];
  for (let count = varint(); count > 0; count -= 1) { fields.push(string()); offset += 2; string(); } // name, type, sensitivity, description
  string(); // update frequency
  const shareType = SHARE_TYPES[bytes[offset++] - 1];
  string(); string(); string(); // conditions, gateway, organization
  const version = uint(4);
  const publishedBy = [...bytes.subarray(offset, offset + 20)].map(byte => byte.toString(16).padStart(2, '0')).join('');
  offset += 20;
  return { version, publishedBy, height: uint(8), time: uint(8), shareType, fields };
}
