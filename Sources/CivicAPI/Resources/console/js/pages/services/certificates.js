// Electronic certificates (Docs/0016, scenario 5): types, one certificate with its authorizations and checks, a
// holder's certificates, and issuing, suspending, revoking, authorizing and verifying them. Documents and ID numbers
// are fingerprinted in the page and never sent.
import { get, segment } from '../../api.js';
import { badge, button, facts, field, h, hash, heading, link, number, section, table, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { can, who } from '../../session.js';
import { fileFingerprint } from '../../fingerprint.js';
import {
  actionForm, addressLink, apiQuery, documentPicker, options, organizationList, outcomeBadge, runWrite, setFlash, signInHint, statusArea,
  subjectInputs, takeFlash, transactionLink,
} from './common.js';
import { certificateStateBadge, outcomeWords, verifyPanel } from './verify.js';

addStrings({
  en: {
    'cert.title': 'Electronic certificates',
    'cert.intro': 'A department issues an electronic certificate (marriage, business licence…) by recording on the chain the fingerprint of the document and of its holder — never the document or the ID number. Anyone can then check a document against that record; the holder decides which departments may check it, and every check is recorded.',
    'cert.lookup': 'Find a certificate by number', 'cert.lookupSubmit': 'Open',
    'cert.byHolder': 'Certificates of a person', 'cert.byHolderSubmit': 'Find', 'cert.holderNone': 'No certificate was issued to this person.',
    'cert.types': 'Certificate types', 'cert.col.id': 'Type', 'cert.col.name': 'Name', 'cert.col.organization': 'Registered by',
    'cert.col.trusted': 'Also trusted issuers', 'cert.col.number': 'Number', 'cert.col.status': 'Status', 'cert.col.issuer': 'Issuer', 'cert.col.validUntil': 'Valid until',
    'cert.issue': 'Issue a certificate', 'cert.issueWhat': 'issue certificates for your department',
    'cert.issueIntro': 'The document is hashed in this page and never uploaded; the holder\'s ID number is turned into a fingerprint with the salt file, also in this page.',
    'cert.type': 'Type', 'cert.number': 'Certificate number (a-z, 0-9, ".", "_", "-")', 'cert.holderAddress': 'Holder\'s chain address (40 hex digits)',
    'cert.validFrom': 'Valid from', 'cert.validUntil': 'Valid until (exclusive)', 'cert.issueSubmit': 'Sign and issue',
    'cert.noDocument': 'Choose the document file.', 'cert.documentFingerprint': 'Document fingerprint',
    'cert.one': 'Certificate {id}',
    'cert.holder': 'Holder (fingerprint)', 'cert.holderAddressLabel': 'Holder\'s address', 'cert.issuedBy': 'Issued by (key)', 'cert.issuedAt': 'Issued at',
    'cert.replaces': 'Re-issues', 'cert.replacedBy': 'Re-issued as', 'cert.changed': 'Status last changed', 'cert.reason': 'Reason',
    'cert.status': 'Change the status', 'cert.statusWhat': 'change certificates your department issued',
    'cert.statusOther': 'Only staff of {issuer} can change this certificate.',
    'cert.change': 'Change', 'cert.change.suspend': 'Suspend', 'cert.change.resume': 'Resume', 'cert.change.revoke': 'Revoke (final)',
    'cert.statusSubmit': 'Sign and change', 'cert.revokedFinal': 'This certificate is revoked; its status can no longer change.',
    'cert.authorizations': 'Who the holder authorized to check it',
    'cert.authorizationsIntro': 'Without the holder\'s authorization a department\'s check is refused.',
    'cert.authorizationsNone': 'The holder has authorized no department.',
    'cert.authorizationsPartial': 'Searched blocks {from} to {to}; older authorizations may exist.',
    'cert.col.authorization': 'No.', 'cert.col.verifier': 'Department', 'cert.col.purpose': 'Purpose', 'cert.col.granted': 'Authorized at',
    'cert.col.until': 'Until', 'cert.col.state': 'State', 'cert.authActive': 'in force', 'cert.authEnded': 'ended', 'cert.authWithdrawn': 'withdrawn',
    'cert.withdraw': 'Withdraw',
    'cert.authorize': 'Authorize a department to check it', 'cert.authorizeWhat': 'authorize checks of your certificate (as its holder)',
    'cert.authorizeHolderOnly': 'Only the holder (the key with address {address}) can authorize departments.',
    'cert.verifier': 'Department', 'cert.purpose': 'Purpose, e.g. housing.purchase-qualification', 'cert.days': 'Days (1-366)', 'cert.authorizeSubmit': 'Sign and authorize',
    'cert.checks': 'Checks of this certificate', 'cert.checksIntro': 'Every official check by a department, newest first.',
    'cert.checksNone': 'No department has checked it yet.', 'cert.col.outcome': 'Outcome', 'cert.col.checkedBy': 'Checked by',
    'cert.col.document': 'Document presented',
  },
  zh: {
    'cert.title': '电子证照',
    'cert.intro': '发证部门签发电子证照（结婚证、营业执照等）时，只把文件的指纹和持证人的指纹登记到链上，不上传文件，也不上传身份证号。任何人都可以拿文件与链上登记比对；持证人决定哪些部门可以核验，每一次核验都有记录。',
    'cert.lookup': '按编号查找证照', 'cert.lookupSubmit': '打开',
    'cert.byHolder': '查询某人的证照', 'cert.byHolderSubmit': '查询', 'cert.holderNone': '没有向此人签发的证照。',
    'cert.types': '证照类型', 'cert.col.id': '类型编码', 'cert.col.name': '名称', 'cert.col.organization': '登记部门',
    'cert.col.trusted': '其他受信任的发证机关', 'cert.col.number': '编号', 'cert.col.status': '状态', 'cert.col.issuer': '发证机关', 'cert.col.validUntil': '有效期至',
    'cert.issue': '签发证照', 'cert.issueWhat': '为本部门签发证照',
    'cert.issueIntro': '文件只在本页面内计算指纹，不会上传；持证人身份证号也在本页面内用盐值文件转换成指纹。',
    'cert.type': '证照类型', 'cert.number': '证照编号（a-z、0-9、“.”、“_”、“-”）', 'cert.holderAddress': '持证人链上地址（40 位十六进制）',
    'cert.validFrom': '生效日期', 'cert.validUntil': '截止日期（不含当日）', 'cert.issueSubmit': '签名并签发',
    'cert.noDocument': '请选择证照文件。', 'cert.documentFingerprint': '文件指纹',
    'cert.one': '证照 {id}',
    'cert.holder': '持证人（指纹）', 'cert.holderAddressLabel': '持证人地址', 'cert.issuedBy': '签发人（密钥）', 'cert.issuedAt': '签发时间',
    'cert.replaces': '换发自', 'cert.replacedBy': '已换发为', 'cert.changed': '状态最近变更', 'cert.reason': '原因',
    'cert.status': '变更状态', 'cert.statusWhat': '变更本部门签发的证照',
    'cert.statusOther': '只有 {issuer} 的工作人员可以变更该证照。',
    'cert.change': '变更为', 'cert.change.suspend': '暂停', 'cert.change.resume': '恢复', 'cert.change.revoke': '注销（不可恢复）',
    'cert.statusSubmit': '签名并变更', 'cert.revokedFinal': '该证照已注销，状态不能再变更。',
    'cert.authorizations': '持证人授权核验的部门',
    'cert.authorizationsIntro': '没有持证人授权，部门的核验会被拒绝。',
    'cert.authorizationsNone': '持证人尚未授权任何部门。',
    'cert.authorizationsPartial': '已查找第 {from} 至 {to} 号区块；更早的授权可能未列出。',
    'cert.col.authorization': '编号', 'cert.col.verifier': '部门', 'cert.col.purpose': '用途', 'cert.col.granted': '授权时间',
    'cert.col.until': '有效期至', 'cert.col.state': '状态', 'cert.authActive': '有效', 'cert.authEnded': '已到期', 'cert.authWithdrawn': '已撤回',
    'cert.withdraw': '撤回',
    'cert.authorize': '授权部门核验', 'cert.authorizeWhat': '以持证人身份授权核验',
    'cert.authorizeHolderOnly': '只有持证人（地址为 {address} 的密钥）可以授权。',
    'cert.verifier': '部门', 'cert.purpose': '用途，例如 housing.purchase-qualification', 'cert.days': '天数（1-366）', 'cert.authorizeSubmit': '签名并授权',
    'cert.checks': '核验记录', 'cert.checksIntro': '各部门的正式核验，最新的在前。',
    'cert.checksNone': '还没有部门核验过。', 'cert.col.outcome': '结果', 'cert.col.checkedBy': '核验人',
    'cert.col.document': '出示文件的指纹',
  },
});

/** Most event pages read when looking for a certificate's authorizations (1,000 blocks each). */
const AUTHORIZATION_PAGES_MAX = 20;

/** Registers `#/certificates` (`?holder=<fingerprint>`) and `#/certificates/:id`. */
export function register(app) {
  app.route('/certificates', 'certificates', context => certificatesPage(app, context));
  app.route('/certificates/:id', 'certificate', context => certificatePage(app, context));
}

async function certificatesPage(app, { query, chain, signal }) {
  const types = (await get('/v1/certificates/types', { signal })).types;
  const holder = query.holder ? await get('/v1/certificates/by-holder/' + segment(query.holder), { signal }) : null;
  const number = h('input', { name: 'certificate', required: true, spellcheck: false, dataset: { testid: 'certificate-lookup-number' } });
  const lookup = h('form', { class: 'toolbar', dataset: { testid: 'certificate-lookup' } }, field(t('verify.number'), number),
    button(t('cert.lookupSubmit'), null, { type: 'submit', testid: 'certificate-lookup-submit' }));
  lookup.addEventListener('submit', event => { event.preventDefault(); app.go('/certificates/' + encodeURIComponent(number.value.trim())); });
  return [heading(t('cert.title'), t('cert.intro')), takeFlash(),
    verifyPanel(app, chain),
    section(t('cert.lookup'), lookup),
    section(t('cert.byHolder'), holderForm(app, chain), holder ? holderResult(holder) : null),
    section(t('cert.types'), table([
      { label: t('cert.col.id'), value: type => h('span', { class: 'mono', text: type.id }) },
      { label: t('cert.col.name'), value: type => type.name },
      { label: t('cert.col.organization'), value: type => type.organization },
      { label: t('cert.col.trusted'), value: type => type.trusted_issuers.join(', ') || '—' },
    ], types, { caption: t('cert.types'), testid: 'certificate-types' })),
    section(t('cert.issue'), can('certificates.issue') ? issueForm(app, chain, types) : signInHint('certificates.issue', t('cert.issueWhat')))];
}

/** ID number + salt file → fingerprint (in the page) → `?holder=<fingerprint>`. */
function holderForm(app, chain) {
  const subject = subjectInputs('certificate-holder');
  const status = h('div', { attrs: { 'aria-live': 'polite' } });
  const form = h('form', { class: 'form', dataset: { testid: 'certificate-holder-form' } }, subject.controls,
    h('div', { class: 'actions' }, button(t('cert.byHolderSubmit'), null, { type: 'submit', testid: 'certificate-holder-submit' })), status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try { app.go('/certificates?holder=' + await subject.fingerprint(chain?.suite ?? 'sm')); } catch (error) { status.replaceChildren(h('p', { class: 'notice bad', text: error.message })); }
  });
  return form;
}

/** The certificates issued to one holder fingerprint. */
function holderResult(answer) {
  return [h('p', { class: 'small' }, t('svc.fingerprintSent'), ' ', hash(answer.holder)), certificatesTable(answer.certificates, 'certificate-holder-table')];
}

/** A table of certificates. */
function certificatesTable(certificates, testid) {
  return table([
    { label: t('cert.col.number'), value: item => link('/certificates/' + encodeURIComponent(item.id), item.id) },
    { label: t('cert.type'), value: item => item.type },
    { label: t('cert.col.issuer'), value: item => item.issuer },
    { label: t('cert.col.status'), value: certificateStateBadge },
    { label: t('cert.col.validUntil'), value: item => time(item.valid_until_ms) },
  ], certificates, { caption: t('cert.byHolder'), empty: t('cert.holderNone'), testid });
}

/** Today (or `years` from today) as an `<input type=date>` value. */
function dateValue(years = 0) {
  const date = new Date();
  date.setFullYear(date.getFullYear() + years);
  return date.toISOString().slice(0, 10);
}

/** The issue form: type, number, document (hashed here), holder ID + salt (fingerprinted here), address, validity. */
function issueForm(app, chain, types) {
  const suite = chain?.suite ?? 'sm';
  const person = who();
  let documentFingerprint = null;
  const ownTypes = types.filter(type => type.organization === person.organization || type.trusted_issuers.includes(person.organization));
  const type = h('select', { name: 'type', dataset: { testid: 'certificate-issue-type' } },
    options((ownTypes.length ? ownTypes : types).map(item => [item.id, `${item.name} (${item.id})`])));
  const id = h('input', { name: 'certificate', required: true, spellcheck: false, dataset: { testid: 'certificate-issue-number' } });
  const picker = documentPicker({ testid: 'certificate-issue-document', onFile: async (file, bytes, chosen) => {
    documentFingerprint = await fileFingerprint(suite, bytes);
    chosen.textContent = `${file.name} — ${t('cert.documentFingerprint')} ${documentFingerprint}`;
  } });
  const subject = subjectInputs('certificate-issue-holder');
  const address = h('input', { name: 'holder', required: true, pattern: '[0-9a-fA-F]{40}', spellcheck: false, dataset: { testid: 'certificate-issue-address' } });
  const from = h('input', { type: 'date', name: 'valid_from', value: dateValue(), required: true });
  const until = h('input', { type: 'date', name: 'valid_until', value: dateValue(10), required: true });
  return [h('p', { class: 'intro', text: t('cert.issueIntro') }), actionForm({
    app, action: 'certificates.issue', testid: 'certificate-issue', submitLabel: t('cert.issueSubmit'),
    controls: [field(t('cert.type'), type), field(t('cert.number'), id), picker, ...subject.controls, field(t('cert.holderAddress'), address),
      field(t('cert.validFrom'), from), field(t('cert.validUntil'), until)],
    build: async () => {
      if (!documentFingerprint) throw new Error(t('cert.noDocument'));
      return { certificate: id.value.trim(), type: type.value, document_fingerprint: documentFingerprint,
        holder_fingerprint: await subject.fingerprint(suite), holder: address.value.trim().toLowerCase(),
        valid_from_ms: new Date(from.value + 'T00:00:00').getTime(), valid_until_ms: new Date(until.value + 'T00:00:00').getTime() };
    },
    done: (results, result) => { setFlash(result); app.go('/certificates/' + encodeURIComponent(id.value.trim())); },
  })];
}

async function certificatePage(app, { params, chain, signal }) {
  const certificate = await get('/v1/certificates/' + segment(params.id), { signal });
  const [types, checks, authorizations] = await Promise.all([
    get('/v1/certificates/types', { signal }), get(`/v1/certificates/${segment(params.id)}/checks`, { signal }),
    readAuthorizations(certificate, signal)]);
  const typeName = types.types.find(item => item.id === certificate.type)?.name ?? certificate.type;
  return [heading(t('cert.one', { id: certificate.id }), typeName), takeFlash(),
    h('div', { class: 'card', dataset: { testid: 'certificate-facts' } }, facts([
      [t('cert.col.status'), certificateStateBadge(certificate)],
      [t('verify.type'), `${typeName} (${certificate.type})`],
      [t('verify.issuer'), certificate.issuer],
      [t('verify.validity'), h('span', {}, time(certificate.valid_from_ms), ' – ', time(certificate.valid_until_ms))],
      [t('cert.holder'), h('span', { class: 'mono small', text: certificate.holder })],
      [t('cert.holderAddressLabel'), addressLink(certificate.holder_address)],
      [t('cert.documentFingerprint'), h('span', { class: 'mono small', text: certificate.document_fingerprint })],
      [t('cert.issuedBy'), addressLink(certificate.issued_by)],
      [t('cert.issuedAt'), time(certificate.issued_at_ms)],
      [t('cert.replaces'), certificate.replaces ? link('/certificates/' + encodeURIComponent(certificate.replaces), certificate.replaces) : undefined],
      [t('cert.replacedBy'), certificate.replaced_by ? link('/certificates/' + encodeURIComponent(certificate.replaced_by), certificate.replaced_by) : undefined],
      [t('cert.changed'), certificate.changed_at_ms ? time(certificate.changed_at_ms) : undefined],
      [t('cert.reason'), certificate.reason || undefined],
    ])),
    verifyPanel(app, chain, certificate.id),
    authorizationsSection(app, certificate, authorizations),
    section(t('cert.checks'), h('p', { class: 'intro', text: t('cert.checksIntro') }), table([
      { label: t('svc.col.time'), value: check => time(check.time_ms) },
      { label: t('cert.col.verifier'), value: check => h('strong', { text: check.verifier_organization }) },
      { label: t('cert.col.checkedBy'), value: check => addressLink(check.verifier) },
      { label: t('cert.col.purpose'), value: check => check.purpose || '—' },
      { label: t('cert.col.outcome'), value: check => h('span', {}, outcomeBadge(check.outcome), h('br'), h('span', { class: 'small', text: outcomeWords(check.outcome) })) },
      { label: t('cert.col.document'), value: check => hash(check.document_fingerprint) },
      { label: t('svc.col.transaction'), value: check => transactionLink(check.transaction_hash) },
    ], checks.checks, { caption: t('cert.checks'), empty: t('cert.checksNone'), testid: 'certificate-checks' })),
    statusSection(app, certificate)];
}

/** Suspend / resume / revoke, for staff of the issuing department. */
function statusSection(app, certificate) {
  let body;
  if (!can('certificates.status')) body = signInHint('certificates.status', t('cert.statusWhat'));
  else if (who().organization !== certificate.issuer) body = h('p', { text: t('cert.statusOther', certificate) });
  else if (certificate.status === 'revoked') body = h('p', { text: t('cert.revokedFinal') });
  else {
    const changes = certificate.status === 'suspended' ? ['resume', 'revoke'] : ['suspend', 'revoke'];
    const change = h('select', { name: 'change', dataset: { testid: 'certificate-status-change' } }, options(changes.map(name => [name, t('cert.change.' + name)])));
    const reason = h('input', { name: 'reason', dataset: { testid: 'certificate-status-reason' } });
    body = actionForm({ app, action: 'certificates.status', testid: 'certificate-status', submitLabel: t('cert.statusSubmit'), kind: 'danger',
      controls: [field(t('cert.change'), change), field(t('cert.reason'), reason)],
      build: () => ({ certificate: certificate.id, change: change.value, reason: reason.value.trim() }) });
  }
  return section(t('cert.status'), body);
}

/** The holder's authorizations, with withdraw buttons and the authorize form for the holder. */
function authorizationsSection(app, certificate, found) {
  const isHolder = who()?.address === certificate.holder_address;
  const now = Date.now();
  const status = statusArea('certificate-withdraw');
  const withdraw = item => runWrite({ app, action: 'certificates.withdraw_authorization', testid: 'certificate-withdraw', status,
    args: () => ({ authorization: Number(item.id) }) });
  const rows = table([
    { label: t('cert.col.authorization'), class: 'num', value: item => '#' + item.id },
    { label: t('cert.col.verifier'), value: item => h('strong', { text: item.verifier }) },
    { label: t('cert.col.purpose'), value: item => item.purpose || '—' },
    { label: t('cert.col.granted'), value: item => time(item.time) },
    { label: t('cert.col.until'), value: item => time(item.validUntil) },
    { label: t('cert.col.state'), value: item => (item.withdrawn ? badge(t('cert.authWithdrawn'), 'bad')
      : item.validUntil > now ? badge(t('cert.authActive'), 'ok') : badge(t('cert.authEnded'), 'info')) },
    { label: t('svc.col.transaction'), value: item => transactionLink(item.transaction) },
    isHolder && can('certificates.withdraw_authorization') ? { label: t('cert.withdraw'), value: item => (!item.withdrawn && item.validUntil > now
      ? button(t('cert.withdraw'), () => withdraw(item), { kind: 'secondary', testid: 'certificate-withdraw-' + item.id }) : '—') } : null,
  ].filter(Boolean), found.authorizations, { caption: t('cert.authorizations'), empty: t('cert.authorizationsNone'), testid: 'certificate-authorizations' });
  let form;
  if (!can('certificates.authorize')) form = signInHint('certificates.authorize', t('cert.authorizeWhat'));
  else if (!isHolder) form = h('p', { text: t('cert.authorizeHolderOnly', { address: certificate.holder_address }) });
  else form = authorizeForm(app, certificate);
  return section(t('cert.authorizations'), h('p', { class: 'intro', text: t('cert.authorizationsIntro') }), rows, status,
    found.partial ? h('p', { class: 'small', text: t('cert.authorizationsPartial', found.partial) }) : null,
    h('h3', { text: t('cert.authorize') }), form);
}

/** The holder's form to authorize a department. */
function authorizeForm(app, certificate) {
  const verifier = h('input', { name: 'verifier', required: true, dataset: { testid: 'certificate-authorize-verifier' } });
  const purpose = h('input', { name: 'purpose', dataset: { testid: 'certificate-authorize-purpose' } });
  const days = h('input', { name: 'days', type: 'number', min: 1, max: 366, value: 30 });
  const form = actionForm({ app, action: 'certificates.authorize', testid: 'certificate-authorize', submitLabel: t('cert.authorizeSubmit'),
    controls: [field(t('cert.verifier'), verifier), field(t('cert.purpose'), purpose), field(t('cert.days'), days)],
    build: () => ({ certificate: certificate.id, verifier: verifier.value.trim(), purpose: purpose.value.trim(), days: Number(days.value) }) });
  organizationList().then(list => { verifier.setAttribute('list', list.id); form.append(list); });
  return form;
}

/**
 * The certificate's authorizations, from the `certificates.authorized` and `certificates.authorization_withdrawn`
 * events since it was issued (GET /v1/events/range, at most AUTHORIZATION_PAGES_MAX pages). Returns
 * `{authorizations (newest first), partial: {from, to} when the search stopped early}`.
 */
async function readAuthorizations(certificate, signal) {
  const byId = new Map();
  let cursor = { from: String(certificate.height) };
  let page, pages = 0;
  do {
    page = await get('/v1/events/range?' + apiQuery({ ...cursor, contract: 'certificates' }), { signal });
    for (const event of page.events) {
      const attribute = name => event.attributes.find(([key]) => key === name)?.[1] ?? '';
      if (attribute('certificate') !== certificate.id) continue;
      if (event.name === 'certificates.authorized') {
        byId.set(attribute('authorization'), { id: attribute('authorization'), verifier: attribute('verifier_organization'),
          purpose: attribute('purpose'), validUntil: Number(attribute('valid_until')), time: event.block_time_ms,
          transaction: event.transaction_hash, withdrawn: false });
      } else if (event.name === 'certificates.authorization_withdrawn' && byId.has(attribute('authorization'))) {
        byId.get(attribute('authorization')).withdrawn = true;
      }
    }
    cursor = page.next_after ? { after: page.next_after } : page.next_from ? { from: String(page.next_from) } : null;
    pages += 1;
  } while (cursor && pages < AUTHORIZATION_PAGES_MAX);
  return { authorizations: [...byId.values()].reverse(), partial: cursor ? { from: number(certificate.height), to: number(page.to) } : null };
}
