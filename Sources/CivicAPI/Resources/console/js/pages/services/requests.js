// Requests and grants (Docs/0016): which department asked which for what data, and what the owner decided; one
// request with its history, the decision buttons for the owner's staff, and the accesses made under the grant.
import { get, segment } from '../../api.js';
import { badge, button, errorNotice, facts, field, h, hash, heading, link, number, section, table, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { can, who } from '../../session.js';
import {
  REQUEST_EVENTS, addressLink, apiQuery, options, outcomeBadge, organizationList, purposeCell, readTrail, requestStatus, requestStatusBadge,
  runWrite, signInHint, statusArea, takeFlash, trailNotes, transactionLink,
} from './common.js';
import { trailTable } from './trail-table.js';

addStrings({
  en: {
    'requests.title': 'Requests and grants',
    'requests.intro': 'A department that needs another department\'s data asks for it here; the owner grants or refuses each request, and can revoke a grant. Every request and every decision is recorded on the chain with who made it.',
    'requests.status': 'Status', 'requests.anyStatus': 'any status',
    'requests.waiting': 'Waiting for your department ({organization})',
    'requests.waitingIntro': 'Other departments asked for your data. Open a request to approve or reject it.',
    'requests.waitingNone': 'Nothing is waiting for your decision.', 'requests.waitingBadge': 'your decision',
    'requests.all': 'All requests', 'requests.empty': 'No request matches.',
    'requests.col.number': 'No.', 'requests.col.resource': 'Resource', 'requests.col.route': 'Requester → owner', 'requests.col.requested': 'Requested',
    'requests.col.until': 'Valid until',
    'requests.one': 'Request #{id}', 'requests.oneIntro': '{consumer} asked {provider} for "{resource}".',
    'requests.resource': 'Resource', 'requests.provider': 'Owner (decides)', 'requests.consumer': 'Requesting department',
    'requests.requestedBy': 'Asked by', 'requests.requestedAt': 'Asked at', 'requests.duration': 'Grant length', 'requests.days': '{days} days',
    'requests.expiresAt': 'Valid until', 'requests.decidedBy': 'Last decided by', 'requests.decidedAt': 'Decided at', 'requests.note': 'Note',
    'requests.history': 'History', 'requests.historyIntro': 'Each step below is a transaction on the chain, signed by the person named.',
    'requests.col.step': 'Step', 'requests.col.by': 'By (key)',
    'requests.decide': 'Decision', 'requests.decideWhat': 'decide requests for your department\'s data',
    'requests.decideOther': 'Only staff of {provider} can decide this request.',
    'requests.decideDone': 'This request has been decided; there is nothing left to decide.',
    'requests.decideNote': 'Note (kept on the chain)',
    'requests.approve': 'Approve', 'requests.reject': 'Reject', 'requests.revoke': 'Revoke the grant',
    'requests.accesses': 'Accesses made under this grant',
    'requests.accessesIntro': 'Each time the requesting department fetched data with this grant, the owner\'s gateway recorded it.',
    'requests.accessesEmpty': 'No access was made under this grant.',
    'requests.accessRecord': 'Access record #{id}', 'requests.served': 'Fingerprint of the data served', 'requests.subjects': 'People or companies named',
    'requests.provedAt': 'Read with proof at block',
  },
  zh: {
    'requests.title': '申请与授权',
    'requests.intro': '需要使用其他部门数据的部门在此提出申请；数据所有部门逐条审批，也可以撤销已给的授权。每一次申请和审批都连同经办人记录在区块链上。',
    'requests.status': '状态', 'requests.anyStatus': '全部状态',
    'requests.waiting': '待本部门（{organization}）审批',
    'requests.waitingIntro': '其他部门申请使用本部门的数据。打开申请即可批准或驳回。',
    'requests.waitingNone': '没有待您审批的申请。', 'requests.waitingBadge': '待您审批',
    'requests.all': '全部申请', 'requests.empty': '没有符合条件的申请。',
    'requests.col.number': '编号', 'requests.col.resource': '资源', 'requests.col.route': '申请部门 → 所有部门', 'requests.col.requested': '申请时间',
    'requests.col.until': '有效期至',
    'requests.one': '第 {id} 号申请', 'requests.oneIntro': '{consumer} 向 {provider} 申请使用“{resource}”。',
    'requests.resource': '资源', 'requests.provider': '数据所有部门（审批方）', 'requests.consumer': '申请部门',
    'requests.requestedBy': '申请人', 'requests.requestedAt': '申请时间', 'requests.duration': '授权期限', 'requests.days': '{days} 天',
    'requests.expiresAt': '有效期至', 'requests.decidedBy': '最近审批人', 'requests.decidedAt': '审批时间', 'requests.note': '审批意见',
    'requests.history': '办理经过', 'requests.historyIntro': '下面每一步都是链上的一笔交易，由所列人员签名。',
    'requests.col.step': '环节', 'requests.col.by': '经办人（密钥）',
    'requests.decide': '审批', 'requests.decideWhat': '审批本部门数据的使用申请',
    'requests.decideOther': '只有 {provider} 的工作人员可以审批此申请。',
    'requests.decideDone': '此申请已办结，无需再审批。',
    'requests.decideNote': '审批意见（记录在链上）',
    'requests.approve': '批准', 'requests.reject': '驳回', 'requests.revoke': '撤销授权',
    'requests.accesses': '依此授权进行的数据调用',
    'requests.accessesIntro': '申请部门每次凭此授权调用数据，数据所有部门的交换网关都会记录在链上。',
    'requests.accessesEmpty': '尚未依此授权调用数据。',
    'requests.accessRecord': '第 {id} 号调用记录', 'requests.served': '所提供数据的指纹', 'requests.subjects': '涉及的个人或企业数',
    'requests.provedAt': '读取时附带证明的区块',
  },
});

const STATUSES = ['pending', 'granted', 'expired', 'rejected', 'revoked'];

/** Registers `#/requests` and `#/requests/:id`. */
export function register(app) {
  app.route('/requests', 'requests', context => requestsPage(app, context));
  app.route('/requests/:id', 'request', context => requestPage(app, context));
}

/** The requests matching `organization` and a status of STATUSES (expired grants are granted ones no longer active). */
async function listRequests({ organization, status }, signal) {
  const query = apiQuery({ limit: 200, organization, status: status === 'expired' ? 'granted' : status });
  const answer = await get('/v1/catalog/requests?' + query, { signal });
  return status ? answer.requests.filter(request => requestStatus(request) === status) : answer.requests;
}

async function requestsPage(app, { query, signal }) {
  const person = who();
  const [requests, waiting, organizations] = await Promise.all([
    listRequests({ organization: query.organization, status: query.status }, signal),
    person ? listRequests({ organization: person.organization, status: 'pending' }, signal) : [],
    organizationList(signal),
  ]);
  const mine = waiting.filter(request => request.provider === person?.organization);
  const filters = h('form', { class: 'toolbar', dataset: { testid: 'requests-filters' } },
    field(t('svc.department'), h('input', { name: 'organization', value: query.organization ?? '', attrs: { list: organizations.id } })),
    field(t('requests.status'), h('select', { name: 'status', dataset: { testid: 'requests-status' } },
      options([['', t('requests.anyStatus')], ...STATUSES.map(status => [status, t('svc.status.' + status)])], query.status ?? ''))),
    button(t('svc.filter'), null, { type: 'submit', testid: 'requests-search' }), organizations);
  filters.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const element of filters.elements) if (element.name && element.value) next.set(element.name, element.value.trim());
    app.go('/requests' + (next.size ? '?' + next : ''));
  });
  const waitingIds = new Set(mine.map(request => request.id));
  return [heading(t('requests.title'), t('requests.intro')), takeFlash(),
    person ? h('section', { class: 'panel', dataset: { testid: 'requests-waiting' }, attrs: { 'aria-labelledby': 'requests-waiting-title' } },
      h('h2', { id: 'requests-waiting-title', text: t('requests.waiting', { organization: person.organization }) }),
      mine.length ? [h('p', { class: 'intro', text: t('requests.waitingIntro') }), requestsTable(mine, waitingIds, 'requests-waiting-table')]
        : h('p', { class: 'empty', text: t('requests.waitingNone') })) : null,
    section(t('requests.all'), filters, requestsTable(requests, waitingIds, 'requests-table'))];
}

/** A table of requests; those in `waitingIds` carry a "your decision" badge. */
function requestsTable(requests, waitingIds, testid) {
  return table([
    { label: t('requests.col.number'), class: 'num', value: item => link('/requests/' + item.id, '#' + item.id) },
    { label: t('requests.col.resource'), value: item => link('/catalog/' + encodeURIComponent(item.resource), item.resource) },
    { label: t('requests.col.route'), value: item => `${item.consumer} → ${item.provider}` },
    { label: t('svc.col.fields'), value: item => item.fields.join(', ') },
    { label: t('svc.col.purpose'), value: purposeCell },
    { label: t('requests.status'), value: item => [requestStatusBadge(item), waitingIds.has(item.id) ? [' ', badge(t('requests.waitingBadge'), 'warn')] : null] },
    { label: t('requests.col.requested'), value: item => time(item.requested_at) },
    { label: t('requests.col.until'), value: item => (item.expires_at ? time(item.expires_at) : '—') },
  ], requests, { caption: t('requests.title'), empty: t('requests.empty'), testid });
}

async function requestPage(app, { params, signal }) {
  const request = await get('/v1/catalog/requests/' + segment(params.id), { signal });
  const trail = await readTrail('resources', request.resource, { signal });
  const mine = trail.rows.filter(row => row.number === request.id && REQUEST_EVENTS.includes(row.event)).reverse();
  const accesses = trail.rows.filter(row => row.event === 'catalog.access' && row.grant === request.id);
  return [heading(t('requests.one', { id: request.id }), t('requests.oneIntro', request)), takeFlash(),
    h('div', { class: 'card', dataset: { testid: 'request-facts' } }, facts([
      [t('requests.status'), requestStatusBadge(request)],
      [t('requests.resource'), link('/catalog/' + encodeURIComponent(request.resource), request.resource)],
      [t('requests.provider'), request.provider],
      [t('requests.consumer'), request.consumer],
      [t('svc.col.fields'), request.fields.join(', ')],
      [t('svc.col.purpose'), purposeCell(request)],
      [t('requests.requestedBy'), addressLink(request.requested_by)],
      [t('requests.requestedAt'), time(request.requested_at)],
      [t('requests.duration'), t('requests.days', { days: Math.round(request.duration_milliseconds / 86_400_000) })],
      [t('requests.expiresAt'), request.expires_at ? time(request.expires_at) : undefined],
      [t('requests.decidedBy'), request.decided_by ? addressLink(request.decided_by) : undefined],
      [t('requests.decidedAt'), request.decided_at ? time(request.decided_at) : undefined],
      [t('requests.note'), request.note || undefined],
    ])),
    decisionSection(app, request),
    section(t('requests.history'), h('p', { class: 'intro', text: t('requests.historyIntro') }), table([
      { label: t('svc.col.time'), value: row => time(row.time_ms) },
      { label: t('requests.col.step'), value: row => t('svc.event.' + row.event) },
      { label: t('requests.col.by'), value: row => addressLink(row.consumer) },
      { label: t('svc.col.transaction'), value: row => transactionLink(row.transaction_hash) },
    ], mine, { caption: t('requests.history'), testid: 'request-history' }), trailNotes(trail)),
    section(t('requests.accesses'), h('p', { class: 'intro', text: t('requests.accessesIntro') }),
      trailTable(accesses, { testid: 'request-accesses', empty: t('requests.accessesEmpty'), caption: t('requests.accesses') }),
      accesses.length ? accessRecords(accesses) : null)];
}

/** The approve / reject (or revoke) buttons for the owner's staff, or why there are none. */
function decisionSection(app, request) {
  const status = requestStatus(request);
  const person = who();
  let body;
  if (status !== 'pending' && status !== 'granted') body = h('p', { text: t('requests.decideDone') });
  else if (!can('catalog.decide')) body = signInHint('catalog.decide', t('requests.decideWhat'));
  else if (person.organization !== request.provider) body = h('p', { text: t('requests.decideOther', request) });
  else {
    const note = h('textarea', { name: 'note', rows: 2, dataset: { testid: 'request-note' } });
    const progress = statusArea('request-decide');
    const decide = decision => () => runWrite({ app, action: 'catalog.decide', testid: 'request-decide', status: progress,
      args: () => ({ request: request.id, decision, note: note.value.trim() }) });
    const buttons = status === 'pending'
      ? [button(t('requests.approve'), decide('approve'), { testid: 'request-approve' }),
        button(t('requests.reject'), decide('reject'), { kind: 'danger', testid: 'request-reject' })]
      : [button(t('requests.revoke'), decide('revoke'), { kind: 'danger', testid: 'request-revoke' })];
    body = h('div', { class: 'form', dataset: { testid: 'request-decide' } }, field(t('requests.decideNote'), note), h('div', { class: 'actions' }, buttons), progress);
  }
  return section(t('requests.decide'), body);
}

/** One collapsible record per access, read from GET /v1/catalog/accesses/{n} (with its state proof) when opened. */
function accessRecords(accesses) {
  return h('div', { dataset: { testid: 'request-access-records' } }, accesses.map(row => {
    const body = h('div', {});
    const details = h('details', {}, h('summary', { text: t('requests.accessRecord', { id: row.number }) }), body);
    details.addEventListener('toggle', async () => {
      if (!details.open || body.childElementCount) return;
      let record;
      try { record = await get('/v1/catalog/accesses/' + row.number); } catch (error) { body.append(errorNotice(error)); return; }
      body.append(facts([
        [t('svc.col.outcome'), outcomeBadge(record.outcome)],
        [t('requests.served'), record.served ? hash(record.served) : '—'],
        [t('svc.col.rows'), number(record.rows)],
        [t('requests.subjects'), number(record.subjects.length)],
        [t('requests.provedAt'), link('/blocks/' + record.state.height, number(record.state.height))],
      ]));
    });
    return details;
  }));
}
