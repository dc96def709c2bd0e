// What the services pages share: badges for share types, statuses and outcomes; links to transactions and
// addresses; the pickers for a document and for a person's ID
// number with the salt file; and reading the usage trail page by page.
import { get, segment } from '../../api.js';
import { badge, download, field, h, hash, link, notice, readFile, uid } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { subjectFingerprint } from '../../fingerprint.js';

// The writes' machinery is shared with the governance pages (js/writes.js); the services pages import it from here.
export { actionForm, runWrite, setFlash, signInHint, statusArea, takeFlash } from '../../writes.js';

addStrings({
  en: {
    'svc.share.unconditional': 'Unconditional share', 'svc.share.conditional': 'Conditional share', 'svc.share.not_shared': 'Not shared',
    'svc.sensitivity.open': 'open', 'svc.sensitivity.internal': 'internal', 'svc.sensitivity.sensitive': 'sensitive', 'svc.sensitivity.personal': 'personal data',
    'svc.type.string': 'text', 'svc.type.integer': 'whole number', 'svc.type.decimal': 'decimal', 'svc.type.date': 'date', 'svc.type.boolean': 'yes/no', 'svc.type.binary': 'binary',
    'svc.status.pending': 'Waiting for decision', 'svc.status.granted': 'Granted', 'svc.status.expired': 'Expired',
    'svc.status.rejected': 'Rejected', 'svc.status.revoked': 'Revoked',
    'svc.outcome.served': 'Served', 'svc.outcome.valid': 'Valid',
    'svc.outcome.refused': 'Refused ({code})',
    'svc.document': 'Document', 'svc.documentDrop': 'Drop the file here, or choose it:',
    'svc.documentLocal': 'The file is read in this page and never uploaded: only its fingerprint is used.',
    'svc.idNumber': 'ID number (身份证号) or unified social credit code', 'svc.saltFile': 'Salt file of the departments',
    'svc.subjectLocal': 'The ID number and the salt file stay in this page: the page computes the fingerprint (HMAC with the chain\'s hash) and sends only the fingerprint.',
    'svc.subjectMissing': 'Enter the ID number and choose the salt file.',
    'svc.fingerprintSent': 'Fingerprint sent to the node:', 'svc.proofReceived': 'proof received', 'svc.proofDownload': 'Save proof',
    'svc.col.time': 'Time', 'svc.col.consumer': 'Used by (department)', 'svc.col.person': 'Person (key)', 'svc.col.fields': 'Fields',
    'svc.col.purpose': 'Purpose / service item', 'svc.col.outcome': 'Outcome', 'svc.col.rows': 'Rows', 'svc.col.transaction': 'Transaction',
    'svc.col.resource': 'Resource or certificate', 'svc.col.provider': 'Provided by', 'svc.col.proof': 'Proof', 'svc.col.event': 'What happened',
    'svc.event.catalog.access': 'Data access', 'svc.event.certificates.verified': 'Certificate check',
    'svc.event.catalog.requested': 'Requested', 'svc.event.catalog.granted': 'Granted', 'svc.event.catalog.rejected': 'Rejected',
    'svc.event.catalog.revoked': 'Revoked',
    'svc.window': 'Period', 'svc.window.7': 'Last 7 days', 'svc.window.30': 'Last 30 days', 'svc.window.all': 'All time',
    'svc.trailTruncated': 'Only the newest {count} records are shown.',
    'svc.trailIndexed': 'The node has indexed blocks up to {indexed} (the chain is at {head}).',
    'svc.refusal.gateway.field_not_granted': 'Refused: field not granted', 'svc.refusal.gateway.grant_expired': 'Refused: grant expired',
    'svc.refusal.gateway.grant_revoked': 'Refused: grant revoked', 'svc.refusal.gateway.no_grant': 'Refused: no grant',
    'svc.refusal.gateway.wrong_consumer': 'Refused: not the granted department', 'svc.refusal.gateway.unknown_consumer': 'Refused: unknown requester',
    'svc.refusal.gateway.bad_signature': 'Refused: bad signature',
    'svc.refusal.certificates.forged': 'Document does not match', 'svc.refusal.certificates.revoked': 'Certificate revoked',
    'svc.refusal.certificates.suspended': 'Certificate suspended', 'svc.refusal.certificates.expired': 'Certificate expired',
    'svc.refusal.certificates.not_yet_valid': 'Not yet valid', 'svc.refusal.certificates.not_authorized': 'Holder did not authorize',
    'svc.refusal.certificates.untrusted_issuer': 'Issuer not trusted', 'svc.refusal.certificates.unknown': 'No such certificate',
    'svc.department': 'Department', 'svc.filter': 'Show',
  },
  zh: {
    'svc.share.unconditional': '无条件共享', 'svc.share.conditional': '有条件共享', 'svc.share.not_shared': '不予共享',
    'svc.sensitivity.open': '公开', 'svc.sensitivity.internal': '内部', 'svc.sensitivity.sensitive': '敏感', 'svc.sensitivity.personal': '个人信息',
    'svc.type.string': '文本', 'svc.type.integer': '整数', 'svc.type.decimal': '小数', 'svc.type.date': '日期', 'svc.type.boolean': '是/否', 'svc.type.binary': '二进制',
    'svc.status.pending': '待审批', 'svc.status.granted': '已授权', 'svc.status.expired': '已过期',
    'svc.status.rejected': '已驳回', 'svc.status.revoked': '已撤销',
    'svc.outcome.served': '已提供', 'svc.outcome.valid': '有效',
    'svc.outcome.refused': '已拒绝（{code}）',
    'svc.document': '文件', 'svc.documentDrop': '把文件拖到这里，或点击选择：',
    'svc.documentLocal': '文件只在本页面内读取，不会上传，只使用它的指纹（哈希值）。',
    'svc.idNumber': '身份证号或统一社会信用代码', 'svc.saltFile': '部门共享的盐值文件',
    'svc.subjectLocal': '身份证号和盐值文件只在本页面内使用：页面用本链的哈希算法计算 HMAC 指纹，只把指纹发给节点。',
    'svc.subjectMissing': '请输入证件号码并选择盐值文件。',
    'svc.fingerprintSent': '发送给节点的指纹：', 'svc.proofReceived': '已附证明', 'svc.proofDownload': '保存证明',
    'svc.col.time': '时间', 'svc.col.consumer': '使用部门', 'svc.col.person': '经办人（密钥）', 'svc.col.fields': '字段',
    'svc.col.purpose': '用途 / 办理事项', 'svc.col.outcome': '结果', 'svc.col.rows': '条数', 'svc.col.transaction': '交易',
    'svc.col.resource': '资源或证照', 'svc.col.provider': '提供部门', 'svc.col.proof': '证明', 'svc.col.event': '事项',
    'svc.event.catalog.access': '数据调用', 'svc.event.certificates.verified': '证照核验',
    'svc.event.catalog.requested': '提出申请', 'svc.event.catalog.granted': '授权', 'svc.event.catalog.rejected': '驳回',
    'svc.event.catalog.revoked': '撤销授权',
    'svc.window': '时间范围', 'svc.window.7': '最近 7 天', 'svc.window.30': '最近 30 天', 'svc.window.all': '全部',
    'svc.trailTruncated': '仅显示最新的 {count} 条记录。',
    'svc.trailIndexed': '本节点已索引到第 {indexed} 号区块（链上最新为第 {head} 号）。',
    'svc.refusal.gateway.field_not_granted': '已拒绝：字段未获授权', 'svc.refusal.gateway.grant_expired': '已拒绝：授权已过期',
    'svc.refusal.gateway.grant_revoked': '已拒绝：授权已撤销', 'svc.refusal.gateway.no_grant': '已拒绝：没有授权',
    'svc.refusal.gateway.wrong_consumer': '已拒绝：非被授权部门', 'svc.refusal.gateway.unknown_consumer': '已拒绝：调用方身份未登记',
    'svc.refusal.gateway.bad_signature': '已拒绝：签名无效',
    'svc.refusal.certificates.forged': '文件与登记不符', 'svc.refusal.certificates.revoked': '证照已注销',
    'svc.refusal.certificates.suspended': '证照已暂停', 'svc.refusal.certificates.expired': '证照已过期',
    'svc.refusal.certificates.not_yet_valid': '尚未生效', 'svc.refusal.certificates.not_authorized': '持证人未授权',
    'svc.refusal.certificates.untrusted_issuer': '发证机关不受信任', 'svc.refusal.certificates.unknown': '没有这个证照',
    'svc.department': '部门', 'svc.filter': '查询',
  },
});

/** The events of a request's life, as the usage trail names them. */
export const REQUEST_EVENTS = ['catalog.requested', 'catalog.granted', 'catalog.rejected', 'catalog.revoked'];
/** The events that are a use of something shared: a data access, a certificate check. */
export const USE_EVENTS = ['catalog.access', 'certificates.verified'];

/** A transaction's hash, linked to its page in the explorer. */
export function transactionLink(value) { return value ? hash(value, '/tx/' + value) : '—'; }

/** An address (40 hex digits), linked to the explorer's search, which knows identities. */
export function addressLink(value) { return value ? hash(value, '/search/' + value) : '—'; }

/** The badge of a share type (unconditional, conditional, not_shared). */
export function shareTypeBadge(type) {
  const kind = { unconditional: 'ok', conditional: 'warn', not_shared: 'bad' }[type] ?? 'info';
  return badge(t('svc.share.' + type), kind);
}

/** The badge of a field's sensitivity. */
export function sensitivityBadge(sensitivity) {
  const kind = { open: 'ok', internal: 'info', sensitive: 'warn', personal: 'bad' }[sensitivity] ?? 'info';
  return badge(t('svc.sensitivity.' + sensitivity), kind);
}

/** A request's status as people read it: a grant whose time ran out is `expired`. */
export function requestStatus(request) {
  return request.status === 'granted' && !request.active ? 'expired' : request.status;
}

/** The badge of a request's status. */
export function requestStatusBadge(request) {
  const status = requestStatus(request);
  const kind = { pending: 'warn', granted: 'ok', expired: 'info', rejected: 'bad', revoked: 'bad' }[status] ?? 'info';
  return badge(t('svc.status.' + status), kind);
}

/** The badge of an access or check outcome: served / valid, or the refusal's code. */
export function outcomeBadge(outcome) {
  if (outcome === 'served' || outcome === 'valid' || outcome === 'verified') return badge(t('svc.outcome.' + (outcome === 'served' ? 'served' : 'valid')), 'ok');
  if (['pending', 'granted', 'rejected', 'revoked'].includes(outcome)) return badge(t('svc.status.' + outcome), 'info');
  return h('span', { class: 'badge bad', title: outcome, text: refusalWords(outcome) });
}

/** A refusal code in words, or "Refused (code)" for codes without words. */
export function refusalWords(code) {
  const words = t('svc.refusal.' + code);
  return words === 'svc.refusal.' + code ? t('svc.outcome.refused', { code }) : words;
}

/**
 * A query string for the API from `params` (an object or URLSearchParams; empty values left out). Spaces become %20,
 * not `+`, which the node reads literally (department names have spaces).
 */
export function apiQuery(params) {
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  return entries.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/** Options for a select: `[value, label]` pairs, with `selected` chosen. */
export function options(pairs, selected) {
  return pairs.map(([value, label]) => h('option', { value, text: label, selected: value === selected }));
}

let organizationNames = null;

/** A datalist of the chain's member organizations (read once), for department inputs. */
export async function organizationList(signal) {
  if (!organizationNames) {
    try {
      organizationNames = (await get('/v1/governance/organizations', { signal })).organizations.map(item => item.name);
    } catch {
      organizationNames = [];
    }
  }
  return h('datalist', { id: uid('organizations') }, organizationNames.map(name => h('option', { value: name })));
}

/**
 * A place to drop or choose a document. The file is read here and never sent; `onFile(file, bytes)` receives it.
 * The file input carries `data-testid=<testid>`.
 */
export function documentPicker({ testid, label, onFile }) {
  const input = h('input', { type: 'file', dataset: { testid } });
  const chosen = h('p', { class: 'small', attrs: { 'aria-live': 'polite' } });
  const take = async file => {
    if (!file) return;
    const bytes = await readFile(file);
    chosen.textContent = file.name;
    await onFile(file, bytes, chosen);
  };
  input.addEventListener('change', () => take(input.files[0]));
  const zone = h('div', { class: 'dropzone' },
    h('p', { text: t('svc.documentDrop') }), field(label ?? t('svc.document'), input), chosen,
    h('p', { class: 'small', text: t('svc.documentLocal') }));
  zone.addEventListener('dragover', event => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', event => {
    event.preventDefault();
    zone.classList.remove('over');
    take(event.dataTransfer.files[0]);
  });
  return zone;
}

/**
 * The two inputs that name a person without sending who they are: the ID number and the departments' salt file.
 * `fingerprint(suite)` computes the subject fingerprint in the page (or throws when something is missing).
 */
export function subjectInputs(testid) {
  const identifier = h('input', { type: 'text', name: 'identifier', autocomplete: 'off', spellcheck: false, dataset: { testid: testid + '-id' } });
  const salt = h('input', { type: 'file', name: 'salt', dataset: { testid: testid + '-salt' } });
  return {
    controls: [field(t('svc.idNumber'), identifier), field(t('svc.saltFile'), salt, t('svc.subjectLocal'))],
    async fingerprint(suite) {
      if (!identifier.value.trim() || !salt.files[0]) throw new Error(t('svc.subjectMissing'));
      return subjectFingerprint(suite, identifier.value, await readFile(salt.files[0]));
    },
  };
}

/** The bytes of base64 `text`. */
function base64Bytes(text) { return Uint8Array.from(atob(text), character => character.charCodeAt(0)); }

/** "proof received" and a button saving it as `<name>.civicproof`, for a trail row that came with its proof. */
export function proofCell(row) {
  if (!row.proof) return '—';
  return h('span', {}, badge(t('svc.proofReceived'), 'ok'), ' ',
    h('button', { type: 'button', class: 'link-button small', text: t('svc.proofDownload'),
      on: { click: () => download(`${row.position}.civicproof`, base64Bytes(row.proof)) } }));
}

/** The start of a period (`7`, `30` or `all` days back), in milliseconds, or null for all time. */
export function windowStart(window) {
  const days = Number(window);
  return Number.isFinite(days) && days > 0 ? Date.now() - days * 86_400_000 : null;
}

/** A select of the period, named `window`. */
export function windowSelect(selected) {
  return h('select', { name: 'window', dataset: { testid: 'trail-window' } },
    options(['7', '30', 'all'].map(value => [value, t('svc.window.' + value)]), selected));
}

/** Most rows a page reads from the trail before it stops (and says so). */
const TRAIL_ROWS_MAX = 1000;

/**
 * Reads the usage trail: `question` is resources, departments, providers or subjects; `key` the resource id,
 * organization or fingerprint. Pages through the answer (oldest first) up to TRAIL_ROWS_MAX rows and returns
 * `{rows (newest first), resources, truncated, indexedHeight, headHeight}`.
 */
export async function readTrail(question, key, { since = null, proofs = false, signal } = {}) {
  const rows = [];
  let cursor = null, first = null;
  do {
    const query = apiQuery({ limit: proofs ? 100 : 500, since: since && Math.floor(since), proofs: proofs ? 'true' : null, cursor });
    const page = await get(`/v1/trail/${question}/${segment(key)}?${query}`, { signal });
    first ??= page;
    rows.push(...page.rows);
    cursor = page.next_cursor;
  } while (cursor && rows.length < TRAIL_ROWS_MAX);
  return { rows: rows.reverse(), resources: first.resources ?? [], truncated: Boolean(cursor),
    indexedHeight: first.indexed_height, headHeight: first.head_height };
}

/** The notes under a trail table: how far the index reaches, and whether rows were left out. */
export function trailNotes(answer) {
  return [answer.truncated ? notice(t('svc.trailTruncated', { count: answer.rows.length }), 'warn') : null,
    answer.indexedHeight < answer.headHeight ? h('p', { class: 'small', text: t('svc.trailIndexed', { indexed: answer.indexedHeight, head: answer.headHeight }) }) : null];
}

/** The purpose and service item of a trail row or request, on two lines. */
export function purposeCell(item) {
  const serviceItem = item.service_item;
  return h('span', {}, item.purpose || '—', serviceItem ? h('br') : null, serviceItem ? h('span', { class: 'mono small', text: serviceItem }) : null);
}

/** The link to a used thing: a catalog resource, or a certificate for certificate checks. */
export function usedLink(row) {
  return row.event === 'certificates.verified' ? link('/certificates/' + encodeURIComponent(row.resource), row.resource)
    : link('/catalog/' + encodeURIComponent(row.resource), row.resource);
}
