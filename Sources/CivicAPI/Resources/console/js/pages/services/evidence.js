// Evidence (Docs/0016): has this file been recorded on the chain, when and by whom? The file's fingerprint is
// computed in the page and only the fingerprint is sent; a recorded file's receipt, proof and RFC 3161 time-stamp
// token can be saved for checks without the network, and a file not yet recorded can be recorded.
import { get, getRaw } from '../../api.js';
import { button, download, errorNotice, facts, field, h, heading, link, notice, number, replace, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { can, crypto } from '../../session.js';
import { fileFingerprint, hashAlgorithm } from '../../fingerprint.js';
import { addressLink, documentPicker, runWrite, signInHint, statusArea, transactionLink } from './common.js';

addStrings({
  en: {
    'evidence.title': 'Evidence',
    'evidence.intro': 'Was this file recorded on the chain, and when? Drop it below. The page computes the file\'s fingerprint ({algorithm}) on your computer; the file itself is never uploaded — only the 64-character fingerprint is sent to ask the chain.',
    'evidence.file': 'File to check',
    'evidence.fingerprint': 'Fingerprint ({algorithm})', 'evidence.looking': 'Asking the chain…',
    'evidence.found': 'Recorded on the chain', 'evidence.foundIntro': 'This exact file was recorded; changing even one byte would give another fingerprint.',
    'evidence.recordedAt': 'Recorded at (block time)', 'evidence.block': 'Block', 'evidence.by': 'Recorded by', 'evidence.label': 'Label',
    'evidence.batch': 'Batch', 'evidence.batchItem': 'item {index} of {count}',
    'evidence.downloads': 'Keep the proof', 'evidence.downloadsIntro': 'These files let anyone (a court, an auditor) check the record later without trusting this node, with the chain\'s genesis file alone.',
    'evidence.receipt': 'Save the receipt ({name})', 'evidence.proof': 'Save the transaction proof ({name})', 'evidence.timestamp': 'Save the RFC 3161 time-stamp ({name})',
    'evidence.receiptBatch': 'This file was recorded in a batch: its receipt (with its place in the batch) was written by whoever recorded it with `civic evidence put`. The transaction proof below still shows the batch was recorded.',
    'evidence.commands': 'To check offline, put the receipt beside the file and run:',
    'evidence.notFound': 'Not recorded', 'evidence.notFoundIntro': 'This chain holds no record of this file: it was never recorded, or it was changed since.',
    'evidence.put': 'Record it now', 'evidence.putIntro': 'Recording puts the fingerprint and your label on the chain under your name, with the time of the block. The file still stays on your computer.',
    'evidence.putWhat': 'record files as evidence', 'evidence.putLabel': 'Label (for example a case number)', 'evidence.putSubmit': 'Sign and record',
  },
  zh: {
    'evidence.title': '存证',
    'evidence.intro': '这个文件是否已在链上存证？什么时候存的？把文件拖到下面即可。页面在您的电脑上计算文件指纹（{algorithm}），文件本身不会上传，只把 64 位指纹发给节点查询。',
    'evidence.file': '要核对的文件',
    'evidence.fingerprint': '指纹（{algorithm}）', 'evidence.looking': '正在查询链上记录……',
    'evidence.found': '已在链上存证', 'evidence.foundIntro': '链上登记的正是这个文件；哪怕改动一个字节，指纹都会不同。',
    'evidence.recordedAt': '存证时间（区块时间）', 'evidence.block': '区块', 'evidence.by': '存证人', 'evidence.label': '标注',
    'evidence.batch': '批量存证', 'evidence.batchItem': '共 {count} 项中的第 {index} 项',
    'evidence.downloads': '保存证明材料', 'evidence.downloadsIntro': '凭这些文件和本链的创世文件，任何人（法院、审计）日后都可以离线核验，无需信任本节点。',
    'evidence.receipt': '保存存证回执（{name}）', 'evidence.proof': '保存交易证明（{name}）', 'evidence.timestamp': '保存 RFC 3161 时间戳（{name}）',
    'evidence.receiptBatch': '该文件是批量存证的：带批内位置的回执由存证人用 `civic evidence put` 生成。下面的交易证明仍可证明该批次已上链。',
    'evidence.commands': '离线核验时，把回执放在文件旁边，运行：',
    'evidence.notFound': '未存证', 'evidence.notFoundIntro': '本链没有这个文件的记录：它从未存证，或者存证后被改动过。',
    'evidence.put': '现在存证', 'evidence.putIntro': '存证会把指纹和您的标注以您的名义记录到链上，并带上区块时间。文件仍只留在您的电脑上。',
    'evidence.putWhat': '存证文件', 'evidence.putLabel': '标注（例如案号）', 'evidence.putSubmit': '签名并存证',
  },
});

/** Registers `#/evidence`. */
export function register(app) {
  app.route('/evidence', 'evidence', ({ chain, query }) => evidencePage(app, chain, query.fingerprint));
}

/** The evidence page; a `fingerprint` given by search is looked up at once, as if its file had been dropped. */
function evidencePage(app, chain, fingerprint) {
  const suite = chain?.suite ?? 'sm';
  const algorithm = hashAlgorithm(suite);
  const result = h('div', { attrs: { 'aria-live': 'polite' } });
  const picker = documentPicker({ testid: 'evidence-file', label: t('evidence.file'), onFile: async (file, bytes) => {
    const fingerprint = await fileFingerprint(suite, bytes);
    await lookUp({ app, chain, algorithm, fingerprint, name: file.name, result });
  } });
  // From search (`#/evidence?fingerprint=…`): the fingerprint is looked up as if its file had been dropped.
  if (/^[0-9a-f]{64}$/.test(fingerprint ?? '')) lookUp({ app, chain, algorithm, fingerprint, name: fingerprint, result });
  return [heading(t('evidence.title'), t('evidence.intro', { algorithm: algorithm.toUpperCase() })), picker, result];
}

/** Asks the chain about `fingerprint` and shows the record, or the offer to record it. `before` goes on top. */
async function lookUp({ app, chain, algorithm, fingerprint, name, result, before = null }) {
  const shown = h('p', { dataset: { testid: 'evidence-fingerprint', fingerprint } }, t('evidence.fingerprint', { algorithm }), ': ',
    h('span', { class: 'mono', text: fingerprint }));
  replace(result, shown, notice(t('evidence.looking')));
  try {
    const entry = await get(`/v1/evidence/${algorithm}/${fingerprint}`);
    replace(result, before, shown, entry.present
      ? foundSection({ chain, algorithm, fingerprint, name, record: entry.decoded })
      : notFoundSection({ app, chain, algorithm, fingerprint, name, result }));
  } catch (error) {
    replace(result, shown, errorNotice(error));
  }
}

/** The record of a file: when, in which block, by whom, with which label; the files to keep; the commands. */
function foundSection({ chain, algorithm, fingerprint, name, record }) {
  const batch = record.batch_count ? t('evidence.batchItem', { index: Number(record.batch_index) + 1, count: record.batch_count }) : undefined;
  const saveReceipt = button(t('evidence.receipt', { name: name + '.evidence.json' }), () => saving(saveReceipt, async () =>
    download(name + '.evidence.json', await receiptFile({ chain, algorithm, fingerprint, name, record }), 'application/json')),
  { kind: 'secondary', testid: 'evidence-download-receipt' });
  const saveProof = button(t('evidence.proof', { name: name + '.civicproof' }), () => saving(saveProof, async () =>
    download(name + '.civicproof', await bytesOf(`/v1/transactions/${record.transaction_hash}/proof`))),
  { kind: 'secondary', testid: 'evidence-download-proof' });
  const saveToken = button(t('evidence.timestamp', { name: name + '.tsr' }), () => saving(saveToken, async () =>
    download(name + '.tsr', await bytesOf(`/v1/evidence/${algorithm}/${fingerprint}/timestamp`), 'application/timestamp-reply')),
  { kind: 'secondary', testid: 'evidence-download-timestamp' });
  const quoted = name.includes(' ') ? `"${name}"` : name;
  return h('section', { class: 'panel', dataset: { testid: 'evidence-found' }, attrs: { 'aria-labelledby': 'evidence-found-title' } },
    h('h2', { id: 'evidence-found-title', text: t('evidence.found') }),
    notice(t('evidence.foundIntro'), 'ok'),
    facts([
      [t('evidence.recordedAt'), time(Number(record.time_ms))],
      [t('evidence.block'), link('/blocks/' + record.height, number(record.height))],
      [t('evidence.by'), h('span', {}, record.organization ? h('strong', { text: record.organization }) : null, ' ', addressLink(record.submitter))],
      [t('evidence.label'), record.label || '—'],
      [t('evidence.batch'), batch],
      [t('svc.col.transaction'), transactionLink(record.transaction_hash)],
    ]),
    h('h3', { text: t('evidence.downloads') }), h('p', { class: 'intro', text: t('evidence.downloadsIntro') }),
    batch ? h('p', { class: 'small', text: t('evidence.receiptBatch') }) : null,
    h('div', { class: 'actions' }, batch ? null : saveReceipt, saveProof, saveToken),
    h('p', { text: t('evidence.commands') }),
    h('pre', { class: 'mono small', dataset: { testid: 'evidence-commands' },
      text: [batch ? null : `civic evidence verify ${quoted} --genesis genesis.json`,
        `civic verify ${quoted}.civicproof --genesis genesis.json`,
        `openssl ts -reply -in ${quoted}.tsr -text`].filter(Boolean).join('\n') }));
}

/** Runs `save()` with `control` disabled, reporting a failure beside it. */
async function saving(control, save) {
  control.disabled = true;
  control.parentElement.querySelector('.notice')?.remove();
  try { await save(); } catch (error) { control.parentElement.append(errorNotice(error)); } finally { control.disabled = false; }
}

/** The bytes at `path`. */
async function bytesOf(path) { return new Uint8Array(await (await getRaw(path)).arrayBuffer()); }

/**
 * The evidence receipt `civic evidence verify` reads (`FILE.evidence.json`, Sources/CivicFormats/EvidenceReceiptFile):
 * the item, the recording transaction and its proof. Only for items recorded alone (`evidence.put`); an item of a
 * batch also needs its Merkle path, which only its recorder has.
 */
async function receiptFile({ chain, algorithm, fingerprint, name, record }) {
  const { toBase64 } = await crypto();
  const proof = await bytesOf(`/v1/transactions/${record.transaction_hash}/proof`);
  return JSON.stringify({
    format: 'civicledger-evidence-receipt', version: 1, chain_id: chain?.chain_id ?? '', file_name: name,
    item: { algorithm, fingerprint, label: record.label ?? '' }, transaction_hash: record.transaction_hash, proof: toBase64(proof),
  }, null, 2);
}

/** "Not recorded", with the form to record it for those who may. */
function notFoundSection({ app, chain, algorithm, fingerprint, name, result }) {
  let body;
  if (!can('evidence.put')) body = signInHint('evidence.put', t('evidence.putWhat'));
  else {
    const label = h('input', { name: 'label', value: name, dataset: { testid: 'evidence-label' } });
    const status = statusArea('evidence-put');
    const submit = button(t('evidence.putSubmit'), null, { type: 'submit', testid: 'evidence-put-submit' });
    const form = h('form', { class: 'form', dataset: { testid: 'evidence-put' } }, h('p', { class: 'intro', text: t('evidence.putIntro') }),
      field(t('evidence.putLabel'), label), h('div', { class: 'actions' }, submit), status);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      submit.disabled = true;
      await runWrite({ app, action: 'evidence.put', testid: 'evidence-put', status, args: () => ({ fingerprint, label: label.value.trim() }),
        done: (results, done) => lookUp({ app, chain, algorithm, fingerprint, name, result, before: done }) });
      submit.disabled = false;
    });
    body = form;
  }
  return h('section', { class: 'panel', dataset: { testid: 'evidence-not-found' }, attrs: { 'aria-labelledby': 'evidence-missing-title' } },
    h('h2', { id: 'evidence-missing-title', text: t('evidence.notFound') }), notice(t('evidence.notFoundIntro'), 'warn'),
    h('h3', { text: t('evidence.put') }), body);
}
