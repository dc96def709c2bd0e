// #/tx/:hash: one transaction — who signed it, what it asked for, what happened (its receipt), the block it is in —
// and its proof: checked in this browser (js/proof.js), checked by the node's verifier, and downloadable for
// checking offline with the command-line tool.
import { get, getRaw, post, segment } from '../../api.js';
import { ago, badge, button, download, errorNotice, facts, h, hash, heading, link, notice, number, replace, section, table, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { callLabel, compactFacts, contractPurpose, identityOf, statusBadge } from './common.js';

addStrings({
  en: {
    'tx.title': 'Transaction',
    'tx.summary': '{signer} asked the {contract} contract to {method}, in block {height}.',
    'tx.summaryUnknown': 'An unregistered key asked the {contract} contract to {method}, in block {height}.',
    'tx.hash': 'Transaction fingerprint (hash)', 'tx.result': 'Result', 'tx.block': 'Block', 'tx.position': 'Position in the block',
    'tx.signer': 'Signed by', 'tx.signerKey': 'Signer\'s public key', 'tx.call': 'Action (contract.method)', 'tx.purpose': 'What the contract does',
    'tx.expires': 'Valid until', 'tx.expiresHint': 'after this time the chain would have refused it',
    'tx.nonce': 'Nonce', 'tx.nonceHint': 'a number used once, so the same request cannot be replayed',
    'tx.arguments': 'What it asked for (arguments)', 'tx.noArguments': 'This call has no arguments.', 'tx.rawArguments': 'Encoded arguments (hex)',
    'tx.receipt': 'What happened (receipt)', 'tx.code': 'Error code', 'tx.message': 'Message', 'tx.gas': 'Work used (gas)',
    'tx.returnData': 'Returned data', 'tx.events': 'Events it recorded', 'tx.noEvents': 'It recorded no events.',
    'tx.event': 'Event', 'tx.eventDetails': 'Details', 'tx.notIdentity': 'no registered identity at this address',
    'verify.title': 'Check that this transaction is really on the chain',
    'verify.intro': 'You do not have to trust this page or this node. The proof below contains the block header, the validators\' signatures over it, and the path from this transaction to the block\'s fingerprint. Your browser checks it against the validators this chain trusts; the node\'s own verifier checks it too; and you can download it and check it later without any network.',
    'verify.button': 'Verify', 'verify.working': 'Checking…',
    'verify.browser': 'Checked in your browser', 'verify.node': 'Checked by the node\'s verifier',
    'verify.browserValid': 'Every check passed: this transaction and its result are in a block certified by the chain\'s validators.',
    'verify.browserPartial': 'Every check your browser can make passed; the validator changes since the chain began were left to the node\'s verifier.',
    'verify.browserInvalid': 'The proof did NOT check out. Do not rely on this transaction; tell your administrator.',
    'verify.nodeValid': 'Valid: block {height}, signed by {signers}.', 'verify.nodeInvalid': 'Not valid: {message} ({code})',
    'verify.passed': 'Passed', 'verify.failed': 'Failed', 'verify.deferred': 'Left to the node',
    'verify.check.header.chain': 'The block belongs to this chain ({chain})',
    'verify.check.header.validator_set': 'The block names the validators this chain trusts',
    'verify.check.commit.signatures': 'More than 2/3 of the validators signed the block',
    'verify.check.commit.signaturesCount': 'The block was signed by {signed} of {total} validators (needs more than 2/3)',
    'verify.check.transaction.signature': 'The transaction carries a valid signature of its signer',
    'verify.check.transaction.in_block': 'The transaction is inside the block (its fingerprint leads to the block\'s transactions fingerprint)',
    'verify.check.receipt.in_block': 'Its result (receipt) is inside the block too',
    'verify.check.validator_set.transitions': 'No change of validators since the chain began bears on this block',
    'verify.check.overall': 'Overall',
    'verify.offline': 'Check it offline',
    'verify.download': 'Download receipt for offline checks',
    'verify.offlineIntro': 'Save the proof file, then run this command on any computer with the CivicLedger tool and the chain\'s genesis file (genesis.json, from your administrator). It needs no network and no trust in this node.',
  },
  zh: {
    'tx.title': '交易',
    'tx.summary': '{signer} 请求 {contract} 合约执行 {method}，记录于第 {height} 号区块。',
    'tx.summaryUnknown': '一个未登记的密钥请求 {contract} 合约执行 {method}，记录于第 {height} 号区块。',
    'tx.hash': '交易指纹（哈希）', 'tx.result': '结果', 'tx.block': '所在区块', 'tx.position': '在区块中的序号',
    'tx.signer': '签名人', 'tx.signerKey': '签名人公钥', 'tx.call': '操作（合约.方法）', 'tx.purpose': '合约用途',
    'tx.expires': '有效期至', 'tx.expiresHint': '超过此时间，链将拒绝该交易',
    'tx.nonce': '随机数', 'tx.nonceHint': '只使用一次的数字，防止同一请求被重复提交',
    'tx.arguments': '请求内容（参数）', 'tx.noArguments': '此操作没有参数。', 'tx.rawArguments': '参数编码（十六进制）',
    'tx.receipt': '执行结果（回执）', 'tx.code': '错误代码', 'tx.message': '说明', 'tx.gas': '消耗的计算量（gas）',
    'tx.returnData': '返回数据', 'tx.events': '记录的事件', 'tx.noEvents': '未记录事件。',
    'tx.event': '事件', 'tx.eventDetails': '详情', 'tx.notIdentity': '该地址没有登记身份',
    'verify.title': '核验这笔交易确实在链上',
    'verify.intro': '您无需信任本页面或本节点。下面的证明包含区块头、验证节点对区块的签名，以及从这笔交易到区块指纹的路径。您的浏览器会用本链信任的验证节点名单逐项核验；节点自带的核验程序也会核验一遍；您还可以下载证明文件，日后在不联网的情况下自行核验。',
    'verify.button': '核验', 'verify.working': '正在核验…',
    'verify.browser': '在您的浏览器中核验', 'verify.node': '由节点的核验程序核验',
    'verify.browserValid': '全部核验通过：这笔交易及其结果所在的区块经本链验证节点确认。',
    'verify.browserPartial': '浏览器能做的核验全部通过；自创世以来验证节点名单的变更由节点核验程序核验。',
    'verify.browserInvalid': '证明未通过核验。请勿依赖这笔交易，并告知管理员。',
    'verify.nodeValid': '有效：第 {height} 号区块，由 {signers} 签名。', 'verify.nodeInvalid': '无效：{message}（{code}）',
    'verify.passed': '通过', 'verify.failed': '未通过', 'verify.deferred': '由节点核验',
    'verify.check.header.chain': '区块属于本链（{chain}）',
    'verify.check.header.validator_set': '区块所列验证节点是本链信任的节点',
    'verify.check.commit.signatures': '超过三分之二的验证节点签署了区块',
    'verify.check.commit.signaturesCount': '区块由 {total} 个验证节点中的 {signed} 个签名（需超过三分之二）',
    'verify.check.transaction.signature': '交易带有签名人的有效签名',
    'verify.check.transaction.in_block': '交易包含在区块中（其指纹可推导出区块的交易指纹）',
    'verify.check.receipt.in_block': '交易结果（回执）也包含在区块中',
    'verify.check.validator_set.transitions': '自创世以来验证节点名单的变更不影响本区块',
    'verify.check.overall': '总体结论',
    'verify.offline': '离线核验',
    'verify.download': '下载回执，用于离线核验',
    'verify.offlineIntro': '保存证明文件后，在任何装有城市链工具和本链创世文件（genesis.json，向管理员索取）的电脑上运行以下命令即可核验，无需联网，也无需信任本节点。',
  },
});

/** The proof file's bytes, fetched once per page for both the node's verifier and the download. */
function proofBytes(transactionHash) {
  let bytes = null;
  return () => {
    bytes ??= getRaw(`/v1/transactions/${segment(transactionHash)}/proof`)
      .then(response => response.arrayBuffer()).then(buffer => new Uint8Array(buffer))
      .catch(error => { bytes = null; throw error; });
    return bytes;
  };
}

/** A value of `arguments_decoded` as text (nested values as JSON). */
function argumentValue(value) {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The plain-words title of a browser check; the signature check names its count. */
function checkTitle(check, proof, chain) {
  if (check.id === 'commit.signatures' && check.ok) {
    const signed = proof?.certificate?.signatures?.length;
    const total = proof?.validator_set?.validators?.length ?? chain?.validators?.length;
    if (signed !== undefined && total !== undefined) return t('verify.check.commit.signaturesCount', { signed, total });
  }
  const key = `verify.check.${check.id}`;
  const title = t(key, { chain: chain?.chain_id ?? '' });
  return title === key ? check.id : title;
}

function checkBadge(ok) {
  if (ok === true) return badge(t('verify.passed'), 'ok');
  if (ok === false) return badge(t('verify.failed'), 'bad');
  return badge(t('verify.deferred'), 'warn');
}

/** Runs js/proof.js on the JSON proof and shows each check: its claim in plain words, and proof.js's technical detail (English). */
async function verifyInBrowser(transactionHash, chain, output) {
  const [{ verifyTransactionProof }, proof] = await Promise.all([
    import('../../proof.js'),
    get(`/v1/transactions/${segment(transactionHash)}/proof?format=json`),
  ]);
  const checks = await verifyTransactionProof(proof, chain);
  const overall = checks.find(check => check.id === 'overall');
  const verdict = overall?.ok === true ? 'valid' : overall?.ok === false ? 'invalid' : 'partial';
  output.dataset.result = verdict;
  replace(output,
    notice(t({ valid: 'verify.browserValid', invalid: 'verify.browserInvalid', partial: 'verify.browserPartial' }[verdict]),
      { valid: 'ok', invalid: 'bad', partial: 'warn' }[verdict]),
    h('ul', { class: 'check-list' }, checks.filter(check => check.id !== 'overall').map(check =>
      h('li', { dataset: { testid: 'verify-check', check: check.id, ok: String(check.ok) } },
        checkBadge(check.ok),
        h('span', {}, checkTitle(check, proof, chain), h('br'), h('small', { class: 'mono', lang: 'en', text: check.detail }))))));
}

/** Sends the binary proof to the node's verifier (`POST /v1/verify`) and shows its answer. */
async function verifyOnNode(bytes, output) {
  const answer = await post('/v1/verify', await bytes());
  output.dataset.result = answer.valid ? 'valid' : 'invalid';
  replace(output, answer.valid
    ? notice(t('verify.nodeValid', { height: number(answer.height), signers: (answer.signers ?? []).join(', ') }), 'ok')
    : notice(t('verify.nodeInvalid', { message: answer.error?.message ?? '', code: answer.error?.code ?? '' }), 'bad'));
}

/** Runs `check(output)`, showing "Checking…" meanwhile and an error notice (result `error`) if it throws. */
async function runInto(output, check) {
  output.dataset.result = 'running';
  replace(output, h('p', { class: 'loading', attrs: { role: 'status' }, text: t('verify.working') }));
  try {
    await check(output);
  } catch (error) {
    output.dataset.result = 'error';
    replace(output, errorNotice(error));
  }
}

function verifySection(transactionHash, chain) {
  const bytes = proofBytes(transactionHash);
  const browserOutput = h('div', { dataset: { testid: 'verify-browser-result' }, attrs: { 'aria-live': 'polite' } });
  const nodeOutput = h('div', { dataset: { testid: 'verify-node-result' }, attrs: { 'aria-live': 'polite' } });
  const results = h('div', { class: 'grid', hidden: true },
    h('div', {}, h('h3', { text: t('verify.browser') }), browserOutput),
    h('div', {}, h('h3', { text: t('verify.node') }), nodeOutput));
  const verify = button(t('verify.button'), async () => {
    verify.disabled = true;
    results.hidden = false;
    await Promise.all([
      runInto(browserOutput, output => verifyInBrowser(transactionHash, chain, output)),
      runInto(nodeOutput, output => verifyOnNode(bytes, output)),
    ]);
    verify.disabled = false;
  }, { testid: 'tx-verify' });
  const downloadStatus = h('div', { attrs: { 'aria-live': 'polite' } });
  const save = button(t('verify.download'), async () => {
    replace(downloadStatus);
    try { download(`${transactionHash}.civicproof`, await bytes()); } catch (error) { replace(downloadStatus, errorNotice(error)); }
  }, { kind: 'secondary', testid: 'proof-download' });
  return section(t('verify.title'),
    h('p', { class: 'intro', text: t('verify.intro') }),
    h('div', { class: 'actions' }, verify),
    results,
    h('h3', { text: t('verify.offline') }),
    h('p', { text: t('verify.offlineIntro') }),
    h('div', { class: 'actions' }, save),
    downloadStatus,
    h('p', { class: 'card mono' }, h('code', { dataset: { testid: 'verify-command' }, text: `civic verify ${transactionHash}.civicproof --genesis genesis.json` })));
}

function receiptSection(receipt) {
  return section(t('tx.receipt'), h('div', { dataset: { testid: 'tx-receipt', status: receipt.status } }, facts([
    [t('tx.result'), statusBadge(receipt)],
    [t('tx.code'), receipt.code ? h('code', { class: 'mono', text: receipt.code }) : undefined],
    [t('tx.message'), receipt.message || undefined],
    [t('tx.gas'), number(receipt.gas_used)],
    [t('tx.returnData'), receipt.return_data ? h('span', { class: 'mono', text: receipt.return_data }) : undefined],
  ])),
  h('h3', { text: t('tx.events') }),
  table([
    { label: t('tx.event'), value: event => h('code', { class: 'mono', text: event.name }) },
    { label: t('tx.eventDetails'), value: event => compactFacts(event.attributes) },
  ], receipt.events, { caption: t('tx.events'), empty: t('tx.noEvents') }));
}

/** Who signed: the registered identity's name and organization, filled in when known; always the address. */
function signerFacts(transaction) {
  const name = h('span', { dataset: { testid: 'tx-signer-name' } }, '…');
  identityOf(transaction.signer_address).then(identity => {
    replace(name, identity ? `${identity.name} · ${identity.organization} (${t('role.' + identity.role)})` : t('tx.notIdentity'));
  });
  return [name, ' ', link(`/identities/${transaction.signer_address}`, transaction.signer_address, { class: 'mono' })];
}

/**
 * The nonce, exactly: it is a 64-bit number, which JSON.parse rounds above 2^53; then it is read again from the
 * answer's text (JSON.parse's source-text access) and filled in.
 */
function exactNonce(transaction) {
  const nonce = h('span', { class: 'mono', text: String(transaction.nonce) });
  if (!Number.isSafeInteger(transaction.nonce)) {
    getRaw(`/v1/transactions/${segment(transaction.hash)}`).then(response => response.text()).then(text => {
      let exact = null;
      JSON.parse(text, (key, value, context) => { if (key === 'nonce' && context?.source) exact = context.source; return value; });
      if (exact) nonce.textContent = exact;
    }).catch(() => { /* the rounded value stays */ });
  }
  return nonce;
}

function summaryLine(transaction, header) {
  const line = h('p', { class: 'intro', dataset: { testid: 'tx-summary' } });
  const fill = identity => replace(line, t(identity ? 'tx.summary' : 'tx.summaryUnknown', {
    signer: identity ? `${identity.name} (${identity.organization})` : '',
    contract: transaction.contract, method: transaction.method, height: number(header.height),
  }));
  fill({ name: transaction.signer_address.slice(0, 10) + '…', organization: '…' });
  identityOf(transaction.signer_address).then(fill);
  return line;
}

async function transactionPage({ params, chain, signal }) {
  const found = await get(`/v1/transactions/${segment(params.hash)}`, { signal });
  const { transaction, receipt, header, index } = found;
  const decoded = Object.entries(transaction.arguments_decoded ?? {});
  return [
    heading(t('tx.title')),
    summaryLine(transaction, header),
    section(t('common.details'), h('div', { dataset: { testid: 'tx-details', hash: transaction.hash } }, facts([
      [t('tx.hash'), h('span', { class: 'mono', text: transaction.hash })],
      [t('tx.result'), statusBadge(receipt)],
      [t('tx.block'), [link(`/blocks/${header.height}`, number(header.height), { dataset: { testid: 'tx-block-link' } }), ' · ', time(header.time_ms), ' (', ago(header.time_ms), ')']],
      [t('tx.position'), String(index)],
      [t('tx.signer'), signerFacts(transaction)],
      [t('tx.call'), callLabel(transaction)],
      [t('tx.purpose'), contractPurpose(transaction.contract)],
      [t('tx.expires'), [time(transaction.expires_at_ms), h('small', { text: ` — ${t('tx.expiresHint')}` })]],
      [t('tx.nonce'), [exactNonce(transaction), h('small', { text: ` — ${t('tx.nonceHint')}` })]],
      [t('tx.signerKey'), hash(transaction.signer)],
    ]))),
    section(t('tx.arguments'),
      decoded.length > 0 ? facts(decoded.map(([key, value]) => [key, argumentValue(value)])) : h('p', { class: 'empty', text: t('tx.noArguments') }),
      transaction.arguments ? h('details', {}, h('summary', { text: t('tx.rawArguments') }), h('p', { class: 'mono', text: transaction.arguments })) : null),
    receiptSection(receipt),
    verifySection(transaction.hash, chain),
  ];
}

/** Registers `#/tx/:hash`. */
export function register(app) {
  app.route('/tx/:hash', 'transaction', transactionPage);
}
