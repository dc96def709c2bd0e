// #/tx/:hash: one transaction — who signed it, what it asked for, what happened (its receipt), the block it is in —
// and its proof: checked in this browser (js/proof.js), checked by the node's verifier, and downloadable for
// checking offline with the command-line tool.
import { get, getRaw, post, segment } from '../../api.js';
import { ago, badge, button, download, errorNotice, facts, h, hash, heading, link, notice, number, replace, section, table, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { callLabel, compactFacts, contractPurpose, identityOf, statusBadge } from './common.js';

addStrings({
  en: {
    'explorer.tx.title': 'Transaction',
    'explorer.tx.summary': '{signer} asked the {contract} contract to {method}, in block {height}.',
    'explorer.tx.summaryUnknown': 'An unregistered key asked the {contract} contract to {method}, in block {height}.',
    'explorer.tx.hash': 'Transaction fingerprint (hash)', 'explorer.tx.result': 'Result', 'explorer.tx.block': 'Block', 'explorer.tx.position': 'Position in the block',
    'explorer.tx.signer': 'Signed by', 'explorer.tx.signerKey': 'Signer\'s public key', 'explorer.tx.call': 'Action (contract.method)', 'explorer.tx.purpose': 'What the contract does',
    'explorer.tx.expires': 'Valid until', 'explorer.tx.expiresHint': 'after this time the chain would have refused it',
    'explorer.tx.nonce': 'Nonce', 'explorer.tx.nonceHint': 'a number used once, so the same request cannot be replayed',
    'explorer.tx.arguments': 'What it asked for (arguments)', 'explorer.tx.noArguments': 'This call has no arguments.', 'explorer.tx.undescribedArguments': 'The node cannot put these arguments into words; their encoding is below.', 'explorer.tx.rawArguments': 'Encoded arguments (hex)',
    'explorer.tx.receipt': 'What happened (receipt)', 'explorer.tx.code': 'Error code', 'explorer.tx.message': 'Message', 'explorer.tx.gas': 'Work used (gas)',
    'explorer.tx.returnData': 'Returned data', 'explorer.tx.events': 'Events it recorded', 'explorer.tx.noEvents': 'It recorded no events.',
    'explorer.tx.event': 'Event', 'explorer.tx.eventDetails': 'Details', 'explorer.tx.notIdentity': 'no registered identity at this address',
    'explorer.txproof.title': 'Check that this transaction is really on the chain',
    'explorer.txproof.intro': 'You do not have to trust this page or this node. The proof below contains the block header, the validators\' signatures over it, and the path from this transaction to the block\'s fingerprint. Your browser checks it against the validators this chain trusts; the node\'s own verifier checks it too; and you can download it and check it later without any network.',
    'explorer.txproof.button': 'Verify', 'explorer.txproof.working': 'Checking…',
    'explorer.txproof.browser': 'Checked in your browser', 'explorer.txproof.node': 'Checked by the node\'s verifier',
    'explorer.txproof.browserValid': 'Every check passed: this transaction and its result are in a block certified by the chain\'s validators.',
    'explorer.txproof.browserPartial': 'Every check your browser can make passed; the validator changes since the chain began were left to the node\'s verifier.',
    'explorer.txproof.browserInvalid': 'The proof did NOT check out. Do not rely on this transaction; tell your administrator.',
    'explorer.txproof.nodeValid': 'Valid: block {height}, signed by {signers}.', 'explorer.txproof.nodeInvalid': 'Not valid: {message} ({code})',
    'explorer.txproof.passed': 'Passed', 'explorer.txproof.failed': 'Failed', 'explorer.txproof.deferred': 'Left to the node',
    'explorer.txproof.check.header.chain': 'The block belongs to this chain ({chain})',
    'explorer.txproof.check.header.validator_set': 'The block names the validators this chain trusts',
    'explorer.txproof.check.commit.signatures': 'More than 2/3 of the validators signed the block',
    'explorer.txproof.check.commit.signaturesCount': 'The block was signed by {signed} of {total} validators (needs more than 2/3)',
    'explorer.txproof.check.transaction.signature': 'The transaction carries a valid signature of its signer',
    'explorer.txproof.check.transaction.in_block': 'The transaction is inside the block (its fingerprint leads to the block\'s transactions fingerprint)',
    'explorer.txproof.check.receipt.in_block': 'Its result (receipt) is inside the block too',
    'explorer.txproof.check.validator_set.transitions': 'No change of validators since the chain began bears on this block',
    'explorer.txproof.check.overall': 'Overall',
    'explorer.txproof.offline': 'Check it offline',
    'explorer.txproof.download': 'Download receipt for offline checks',
    'explorer.txproof.offlineIntro': 'Save the proof file, then run this command on any computer with the CivicLedger tool and the chain\'s genesis file (genesis.json, from your administrator). It needs no network and no trust in this node.',
  },
  zh: {
    'explorer.tx.title': '交易',
    'explorer.tx.summary': '{signer} 请求 {contract} 合约执行 {method}，记录于第 {height} 号区块。',
    'explorer.tx.summaryUnknown': '一个未登记的密钥请求 {contract} 合约执行 {method}，记录于第 {height} 号区块。',
    'explorer.tx.hash': '交易指纹（哈希）', 'explorer.tx.result': '结果', 'explorer.tx.block': '所在区块', 'explorer.tx.position': '在区块中的序号',
    'explorer.tx.signer': '签名人', 'explorer.tx.signerKey': '签名人公钥', 'explorer.tx.call': '操作（合约.方法）', 'explorer.tx.purpose': '合约用途',
    'explorer.tx.expires': '有效期至', 'explorer.tx.expiresHint': '超过此时间，链将拒绝该交易',
    'explorer.tx.nonce': '随机数', 'explorer.tx.nonceHint': '只使用一次的数字，防止同一请求被重复提交',
    'explorer.tx.arguments': '请求内容（参数）', 'explorer.tx.noArguments': '此操作没有参数。', 'explorer.tx.undescribedArguments': '节点无法用文字说明这些参数，编码见下。', 'explorer.tx.rawArguments': '参数编码（十六进制）',
    'explorer.tx.receipt': '执行结果（回执）', 'explorer.tx.code': '错误代码', 'explorer.tx.message': '说明', 'explorer.tx.gas': '消耗的计算量（gas）',
    'explorer.tx.returnData': '返回数据', 'explorer.tx.events': '记录的事件', 'explorer.tx.noEvents': '未记录事件。',
    'explorer.tx.event': '事件', 'explorer.tx.eventDetails': '详情', 'explorer.tx.notIdentity': '该地址没有登记身份',
    'explorer.txproof.title': '核验这笔交易确实在链上',
    'explorer.txproof.intro': '您无需信任本页面或本节点。下面的证明包含区块头、验证节点对区块的签名，以及从这笔交易到区块指纹的路径。您的浏览器会用本链信任的验证节点名单逐项核验；节点自带的核验程序也会核验一遍；您还可以下载证明文件，日后在不联网的情况下自行核验。',
    'explorer.txproof.button': '核验', 'explorer.txproof.working': '正在核验…',
    'explorer.txproof.browser': '在您的浏览器中核验', 'explorer.txproof.node': '由节点的核验程序核验',
    'explorer.txproof.browserValid': '全部核验通过：这笔交易及其结果所在的区块经本链验证节点确认。',
    'explorer.txproof.browserPartial': '浏览器能做的核验全部通过；自创世以来验证节点名单的变更由节点核验程序核验。',
    'explorer.txproof.browserInvalid': '证明未通过核验。请勿依赖这笔交易，并告知管理员。',
    'explorer.txproof.nodeValid': '有效：第 {height} 号区块，由 {signers} 签名。', 'explorer.txproof.nodeInvalid': '无效：{message}（{code}）',
    'explorer.txproof.passed': '通过', 'explorer.txproof.failed': '未通过', 'explorer.txproof.deferred': '由节点核验',
    'explorer.txproof.check.header.chain': '区块属于本链（{chain}）',
    'explorer.txproof.check.header.validator_set': '区块所列验证节点是本链信任的节点',
    'explorer.txproof.check.commit.signatures': '超过三分之二的验证节点签署了区块',
    'explorer.txproof.check.commit.signaturesCount': '区块由 {total} 个验证节点中的 {signed} 个签名（需超过三分之二）',
    'explorer.txproof.check.transaction.signature': '交易带有签名人的有效签名',
    'explorer.txproof.check.transaction.in_block': '交易包含在区块中（其指纹可推导出区块的交易指纹）',
    'explorer.txproof.check.receipt.in_block': '交易结果（回执）也包含在区块中',
    'explorer.txproof.check.validator_set.transitions': '自创世以来验证节点名单的变更不影响本区块',
    'explorer.txproof.check.overall': '总体结论',
    'explorer.txproof.offline': '离线核验',
    'explorer.txproof.download': '下载回执，用于离线核验',
    'explorer.txproof.offlineIntro': '保存证明文件后，在任何装有城市链工具和本链创世文件（genesis.json，向管理员索取）的电脑上运行以下命令即可核验，无需联网，也无需信任本节点。',
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
    if (signed !== undefined && total !== undefined) return t('explorer.txproof.check.commit.signaturesCount', { signed, total });
  }
  const key = `explorer.txproof.check.${check.id}`;
  const title = t(key, { chain: chain?.chain_id ?? '' });
  return title === key ? check.id : title;
}

function checkBadge(ok) {
  if (ok === true) return badge(t('explorer.txproof.passed'), 'ok');
  if (ok === false) return badge(t('explorer.txproof.failed'), 'bad');
  return badge(t('explorer.txproof.deferred'), 'warn');
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
    notice(t({ valid: 'explorer.txproof.browserValid', invalid: 'explorer.txproof.browserInvalid', partial: 'explorer.txproof.browserPartial' }[verdict]),
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
    ? notice(t('explorer.txproof.nodeValid', { height: number(answer.height), signers: (answer.signers ?? []).join(', ') }), 'ok')
    : notice(t('explorer.txproof.nodeInvalid', { message: answer.error?.message ?? '', code: answer.error?.code ?? '' }), 'bad'));
}

/** Runs `check(output)`, showing "Checking…" meanwhile and an error notice (result `error`) if it throws. */
async function runInto(output, check) {
  output.dataset.result = 'running';
  replace(output, h('p', { class: 'loading', attrs: { role: 'status' }, text: t('explorer.txproof.working') }));
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
    h('div', {}, h('h3', { text: t('explorer.txproof.browser') }), browserOutput),
    h('div', {}, h('h3', { text: t('explorer.txproof.node') }), nodeOutput));
  const verify = button(t('explorer.txproof.button'), async () => {
    verify.disabled = true;
    results.hidden = false;
    await Promise.all([
      runInto(browserOutput, output => verifyInBrowser(transactionHash, chain, output)),
      runInto(nodeOutput, output => verifyOnNode(bytes, output)),
    ]);
    verify.disabled = false;
  }, { testid: 'tx-verify' });
  const downloadStatus = h('div', { attrs: { 'aria-live': 'polite' } });
  const save = button(t('explorer.txproof.download'), async () => {
    replace(downloadStatus);
    try { download(`${transactionHash}.civicproof`, await bytes()); } catch (error) { replace(downloadStatus, errorNotice(error)); }
  }, { kind: 'secondary', testid: 'proof-download' });
  return section(t('explorer.txproof.title'),
    h('p', { class: 'intro', text: t('explorer.txproof.intro') }),
    h('div', { class: 'actions' }, verify),
    results,
    h('h3', { text: t('explorer.txproof.offline') }),
    h('p', { text: t('explorer.txproof.offlineIntro') }),
    h('div', { class: 'actions' }, save),
    downloadStatus,
    h('p', { class: 'card mono' }, h('code', { dataset: { testid: 'verify-command' }, text: `civic verify ${transactionHash}.civicproof --genesis genesis.json` })));
}

function receiptSection(receipt) {
  return section(t('explorer.tx.receipt'), h('div', { dataset: { testid: 'tx-receipt', status: receipt.status } }, facts([
    [t('explorer.tx.result'), statusBadge(receipt)],
    [t('explorer.tx.code'), receipt.code ? h('code', { class: 'mono', text: receipt.code }) : undefined],
    [t('explorer.tx.message'), receipt.message || undefined],
    [t('explorer.tx.gas'), number(receipt.gas_used)],
    [t('explorer.tx.returnData'), receipt.return_data ? h('span', { class: 'mono', text: receipt.return_data }) : undefined],
  ])),
  h('h3', { text: t('explorer.tx.events') }),
  table([
    { label: t('explorer.tx.event'), value: event => h('code', { class: 'mono', text: event.name }) },
    { label: t('explorer.tx.eventDetails'), value: event => compactFacts(event.attributes) },
  ], receipt.events, { caption: t('explorer.tx.events'), empty: t('explorer.tx.noEvents') }));
}

/** Who signed: the registered identity's name and organization, filled in when known; always the address. */
function signerFacts(transaction) {
  const name = h('span', { dataset: { testid: 'tx-signer-name' } }, '…');
  identityOf(transaction.signer_address).then(identity => {
    replace(name, identity ? `${identity.name} · ${identity.organization} (${t('role.' + identity.role)})` : t('explorer.tx.notIdentity'));
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
  const fill = identity => replace(line, t(identity ? 'explorer.tx.summary' : 'explorer.tx.summaryUnknown', {
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
    heading(t('explorer.tx.title')),
    summaryLine(transaction, header),
    section(t('common.details'), h('div', { dataset: { testid: 'tx-details', hash: transaction.hash } }, facts([
      [t('explorer.tx.hash'), h('span', { class: 'mono', text: transaction.hash })],
      [t('explorer.tx.result'), statusBadge(receipt)],
      [t('explorer.tx.block'), [link(`/blocks/${header.height}`, number(header.height), { dataset: { testid: 'tx-block-link' } }), ' · ', time(header.time_ms), ' (', ago(header.time_ms), ')']],
      [t('explorer.tx.position'), String(index)],
      [t('explorer.tx.signer'), signerFacts(transaction)],
      [t('explorer.tx.call'), callLabel(transaction)],
      [t('explorer.tx.purpose'), contractPurpose(transaction.contract)],
      [t('explorer.tx.expires'), [time(transaction.expires_at_ms), h('small', { text: ` — ${t('explorer.tx.expiresHint')}` })]],
      [t('explorer.tx.nonce'), [exactNonce(transaction), h('small', { text: ` — ${t('explorer.tx.nonceHint')}` })]],
      [t('explorer.tx.signerKey'), hash(transaction.signer)],
    ]))),
    section(t('explorer.tx.arguments'),
      decoded.length > 0 ? facts(decoded.map(([key, value]) => [key, argumentValue(value)]))
        : h('p', { class: 'empty', text: t(transaction.arguments ? 'explorer.tx.undescribedArguments' : 'explorer.tx.noArguments') }),
      transaction.arguments ? h('details', {}, h('summary', { text: t('explorer.tx.rawArguments') }), h('p', { class: 'mono', text: transaction.arguments })) : null),
    receiptSection(receipt),
    verifySection(transaction.hash, chain),
  ];
}

/** Registers `#/tx/:hash`. */
export function register(app) {
  app.route('/tx/:hash', 'transaction', transactionPage);
}
