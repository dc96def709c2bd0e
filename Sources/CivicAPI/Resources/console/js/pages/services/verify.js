// "Verify a certificate": the number and the document a person was shown. Anyone sees at once, from the read API,
// whether the document is the one issued, the certificate's status and its issuer; staff of a verifying department
// can then record the official check on the chain, whose receipt says the outcome.
import { ApiError, get, segment } from '../../api.js';
import { badge, button, errorNotice, facts, field, h, link, notice, replace, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { can } from '../../session.js';
import { fileFingerprint } from '../../fingerprint.js';
import { documentPicker, runWrite, signInHint, statusArea } from './common.js';

addStrings({
  en: {
    'verify.title': 'Verify a certificate',
    'verify.intro': 'Someone shows you an electronic certificate? Enter its number and drop the file they gave you. This page computes the file\'s fingerprint here (the file is not uploaded) and compares it with what the issuing department recorded on the chain.',
    'verify.number': 'Certificate number', 'verify.document': 'The document you were shown', 'verify.check': 'Check',
    'verify.missing': 'Enter the certificate number and choose the document.',
    'verify.unknown': 'There is no certificate with this number on the chain.',
    'verify.matches': 'The document matches the chain\'s record: it is the document that was issued.',
    'verify.differs': 'The document does NOT match the chain\'s record: it is not the document that was issued (altered or forged).',
    'verify.verdictValid': 'Valid', 'verify.verdictInvalid': 'Not valid',
    'verify.status': 'Status now', 'verify.issuer': 'Issued by', 'verify.type': 'Type', 'verify.validity': 'Valid',  'verify.trusted': 'trusted for this type', 'verify.untrusted': 'NOT trusted for this type',
    'verify.fingerprint': 'Fingerprint of your file', 'verify.open': 'Open the certificate\'s record',
    'verify.state.valid': 'in force', 'verify.state.revoked': 'revoked', 'verify.state.suspended': 'suspended',
    'verify.state.expired': 'expired', 'verify.state.not_yet_valid': 'not yet valid',
    'verify.official': 'Record the official check',
    'verify.officialIntro': 'As staff of a verifying department you can record this check on the chain. The chain checks, in order, that the holder authorized your department, that the document matches, the status, the validity and the issuer, and keeps the outcome: the holder can see every check.',
    'verify.officialWhat': 'record an official check for your department',
    'verify.purpose': 'Purpose (as the holder authorized it; may be empty)', 'verify.officialSubmit': 'Sign and record the check',
    'verify.recorded': 'Official check #{check} recorded in block {height}:',
    'verify.outcome.valid': 'Valid: the document is the one issued, the certificate is in force and its issuer is trusted.',
    'verify.outcome.certificates.forged': 'Forged or altered: the document does not match the fingerprint recorded when it was issued.',
    'verify.outcome.certificates.revoked': 'Revoked: the issuing department cancelled this certificate.',
    'verify.outcome.certificates.suspended': 'Suspended: the issuing department has suspended this certificate for now.',
    'verify.outcome.certificates.expired': 'Expired: the certificate\'s validity has ended.',
    'verify.outcome.certificates.not_yet_valid': 'Not yet valid: the certificate\'s validity has not started.',
    'verify.outcome.certificates.not_authorized': 'Not authorized: the holder has not authorized your department (for this purpose) to check this certificate. Ask the holder to authorize it, then check again.',
    'verify.outcome.certificates.untrusted_issuer': 'Issuer not trusted: the issuing department is not trusted for this type of certificate.',
    'verify.outcome.certificates.unknown': 'Unknown: there is no certificate with this number.',
  },
  zh: {
    'verify.title': '核验电子证照',
    'verify.intro': '有人向您出示电子证照？输入证照编号，并把对方提供的文件拖到下面。本页面在本地计算文件指纹（文件不会上传），并与发证部门登记在链上的指纹比对。',
    'verify.number': '证照编号', 'verify.document': '对方出示的文件', 'verify.check': '核验',
    'verify.missing': '请输入证照编号并选择文件。',
    'verify.unknown': '链上没有这个编号的证照。',
    'verify.matches': '文件与链上登记一致：就是当初签发的文件。',
    'verify.differs': '文件与链上登记不一致：不是当初签发的文件（可能被篡改或伪造）。',
    'verify.verdictValid': '有效', 'verify.verdictInvalid': '无效',
    'verify.status': '当前状态', 'verify.issuer': '发证机关', 'verify.type': '证照类型', 'verify.validity': '有效期',  'verify.trusted': '受信任的发证机关', 'verify.untrusted': '不是此类证照受信任的发证机关',
    'verify.fingerprint': '您的文件的指纹', 'verify.open': '查看该证照的链上记录',
    'verify.state.valid': '有效', 'verify.state.revoked': '已注销', 'verify.state.suspended': '已暂停',
    'verify.state.expired': '已过期', 'verify.state.not_yet_valid': '尚未生效',
    'verify.official': '登记正式核验',
    'verify.officialIntro': '作为核验部门的工作人员，您可以把这次核验登记到链上。链上依次检查：持证人是否授权本部门、文件是否一致、证照状态、有效期和发证机关，并记录结果；持证人可以看到每一次核验。',
    'verify.officialWhat': '为本部门登记正式核验',
    'verify.purpose': '用途（须与持证人授权的用途一致，可不填）', 'verify.officialSubmit': '签名并登记核验',
    'verify.recorded': '第 {check} 号正式核验已记录在第 {height} 号区块：',
    'verify.outcome.valid': '有效：文件是当初签发的文件，证照在有效期内，发证机关受信任。',
    'verify.outcome.certificates.forged': '伪造或篡改：文件与签发时登记的指纹不一致。',
    'verify.outcome.certificates.revoked': '已注销：发证部门已注销该证照。',
    'verify.outcome.certificates.suspended': '已暂停：发证部门暂停了该证照。',
    'verify.outcome.certificates.expired': '已过期：证照已超过有效期。',
    'verify.outcome.certificates.not_yet_valid': '尚未生效：证照的有效期还没有开始。',
    'verify.outcome.certificates.not_authorized': '未获授权：持证人没有授权本部门（为此用途）核验该证照。请持证人先授权，再核验。',
    'verify.outcome.certificates.untrusted_issuer': '发证机关不受信任：该部门不是此类证照受信任的发证机关。',
    'verify.outcome.certificates.unknown': '查无此证：链上没有这个编号的证照。',
  },
});

/** The state of `certificate` at `now` (ms): revoked, suspended, not_yet_valid, expired or valid. */
export function certificateState(certificate, now = Date.now()) {
  if (certificate.status === 'revoked' || certificate.status === 'suspended') return certificate.status;
  if (now < certificate.valid_from_ms) return 'not_yet_valid';
  if (now >= certificate.valid_until_ms) return 'expired';
  return 'valid';
}

/** The badge of a certificate's state. */
export function certificateStateBadge(certificate) {
  const state = certificateState(certificate);
  return badge(t('verify.state.' + state), state === 'valid' ? 'ok' : 'bad');
}

/** Whether `types` (GET /v1/certificates/types) trust `issuer` for certificates of type `typeId`. */
export function isTrusted(types, typeId, issuer) {
  const type = types.find(item => item.id === typeId);
  return Boolean(type) && (type.organization === issuer || type.trusted_issuers.includes(issuer));
}

/** A check's outcome in words (a sentence for known outcomes, the code otherwise). */
export function outcomeWords(outcome) {
  const key = 'verify.outcome.' + outcome;
  const words = t(key);
  return words === key ? outcome : words;
}

/**
 * The verify panel. `certificate` prefills the number (on a certificate's page). The document is hashed here with
 * the chain suite's hash and never sent.
 */
export function verifyPanel(app, chain, certificate = '') {
  const suite = chain?.suite ?? 'sm';
  let documentFingerprint = null;
  const number = h('input', { name: 'certificate', value: certificate, autocomplete: 'off', spellcheck: false, dataset: { testid: 'verify-certificate' } });
  const result = h('div', { attrs: { 'aria-live': 'polite' }, dataset: { testid: 'verify-outcome' } });
  const official = h('div');
  const picker = documentPicker({ testid: 'verify-document', label: t('verify.document'), onFile: async (file, bytes) => {
    documentFingerprint = await fileFingerprint(suite, bytes);
  } });
  const form = h('form', { class: 'form', dataset: { testid: 'verify-form' } }, field(t('verify.number'), number), picker,
    h('div', { class: 'actions' }, button(t('verify.check'), null, { type: 'submit', testid: 'verify-submit' })));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    replace(official);
    const id = number.value.trim();
    if (!id || !documentFingerprint) { replace(result, notice(t('verify.missing'), 'bad')); return; }
    try {
      const [found, types] = await Promise.all([
        get('/v1/certificates/' + segment(id), { accept: [404] }), get('/v1/certificates/types')]);
      if (!found || found.code) { replace(result, verdictCard(false, [h('p', { text: t('verify.unknown') })])); return; }
      replace(result, readResult(found, types.types, documentFingerprint));
      replace(official, officialCheck(app, id, documentFingerprint));
    } catch (error) {
      replace(result, errorNotice(error));
    }
  });
  return h('section', { class: 'panel verify', dataset: { testid: 'verify-panel' }, attrs: { 'aria-labelledby': 'verify-title' } },
    h('h2', { id: 'verify-title', text: t('verify.title') }), h('p', { class: 'intro', text: t('verify.intro') }), form, result, official);
}

/** The big verdict box: a headline word and the lines under it. */
function verdictCard(valid, lines) {
  return h('div', { class: `notice ${valid ? 'ok' : 'bad'}`, attrs: { role: valid ? 'status' : 'alert' }, dataset: { testid: 'verify-result', valid: String(valid) } },
    h('h3', { text: valid ? t('verify.verdictValid') : t('verify.verdictInvalid') }), lines);
}

/** What the read API tells about `certificate` and the document's fingerprint. */
function readResult(certificate, types, fingerprint) {
  const matches = fingerprint === certificate.document_fingerprint;
  const state = certificateState(certificate);
  const trusted = isTrusted(types, certificate.type, certificate.issuer);
  const typeName = types.find(item => item.id === certificate.type)?.name ?? certificate.type;
  return verdictCard(matches && state === 'valid' && trusted, [
    h('p', { dataset: { testid: 'verify-match', matches: String(matches) } }, h('strong', { text: matches ? t('verify.matches') : t('verify.differs') })),
    facts([
      [t('verify.status'), h('span', { dataset: { testid: 'verify-status', state } }, certificateStateBadge(certificate))],
      [t('verify.issuer'), [certificate.issuer, ' ', badge(trusted ? t('verify.trusted') : t('verify.untrusted'), trusted ? 'ok' : 'bad')]],
      [t('verify.type'), typeName],
      [t('verify.validity'), h('span', {}, time(certificate.valid_from_ms), ' – ', time(certificate.valid_until_ms))],
      [t('verify.fingerprint'), h('span', { class: 'mono small', text: fingerprint })],
    ]),
    h('p', {}, link('/certificates/' + encodeURIComponent(certificate.id), t('verify.open'))),
  ]);
}

/** The official check, recorded on the chain (`certificates.verify`), for staff of a verifying department. */
function officialCheck(app, certificate, fingerprint) {
  if (!can('certificates.verify')) return h('section', {}, h('h3', { text: t('verify.official') }), signInHint('certificates.verify', t('verify.officialWhat')));
  const purpose = h('input', { name: 'purpose', dataset: { testid: 'verify-purpose' } });
  const status = statusArea('verify-official');
  const submit = button(t('verify.officialSubmit'), null, { type: 'submit', testid: 'verify-official-submit' });
  const form = h('form', { class: 'form', dataset: { testid: 'verify-official' } },
    h('h3', { text: t('verify.official') }), h('p', { class: 'intro', text: t('verify.officialIntro') }),
    field(t('verify.purpose'), purpose), h('div', { class: 'actions' }, submit), status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    await runWrite({ app, action: 'certificates.verify', testid: 'verify-official', status,
      args: () => ({ certificate, document_fingerprint: fingerprint, purpose: purpose.value.trim() }),
      done: results => replace(status, recordedOutcome(results[results.length - 1])) });
    submit.disabled = false;
  });
  return form;
}

/** The outcome a committed `certificates.verify` transaction recorded, in words. */
function recordedOutcome(result) {
  const { check, outcome } = verifyResult(result.receipt);
  return h('div', { class: `notice ${outcome === 'valid' ? 'ok' : 'bad'}`, attrs: { role: 'status' }, dataset: { testid: 'verify-official-result', outcome } },
    h('p', { text: t('verify.recorded', { check, height: result.height }) }), h('strong', { text: outcomeWords(outcome) }));
}

/**
 * The check number and outcome of a `certificates.verify` receipt: from its `certificates.verified` event, or else
 * from its return data (canonical VerifyResult: the check as 8 bytes big-endian, then the outcome as a string).
 */
export function verifyResult(receipt) {
  const event = (receipt.events || []).find(item => item.name === 'certificates.verified');
  if (event) {
    const attribute = name => event.attributes.find(([key]) => key === name)?.[1];
    return { check: attribute('check'), outcome: attribute('outcome') };
  }
  const bytes = Uint8Array.from((receipt.return_data || '').match(/../g) || [], pair => parseInt(pair, 16));
  if (bytes.length < 9) throw new ApiError(0, 'certificates.no_result', receipt.return_data);
  const check = bytes.subarray(0, 8).reduce((value, byte) => value * 256 + byte, 0);
  let offset = 8, length = 0, shift = 0, byte;
  do { byte = bytes[offset++]; length += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return { check, outcome: new TextDecoder().decode(bytes.subarray(offset, offset + length)) };
}
