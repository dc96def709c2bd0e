// #/blocks (newest first, a page at a time) and #/blocks/:id (one block by height or hash: its header, who signed
// it, and its transactions with their results).
import { get } from '../../api.js';
import { ago, facts, h, hash, heading, link, notice, number, section, table, time } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { blockPage, callLabel, fullBlock, signerLink, statusBadge, tagRows, validatorName } from './common.js';

addStrings({
  en: {
    'explorer.blocks.title': 'Blocks',
    'explorer.blocks.intro': 'The chain is a list of blocks. Each block bundles the transactions the validators (the nodes run by the member departments) agreed on at one moment, and is signed by them. A block never changes once written.',
    'explorer.blocks.caption': 'Blocks, newest first', 'explorer.blocks.older': 'Older blocks', 'explorer.blocks.newest': 'Newest blocks',
    'explorer.blocks.transactions': 'Transactions', 'explorer.blocks.proposer': 'Proposed by', 'explorer.blocks.age': 'Age',
    'explorer.block.title': 'Block {height}',
    'explorer.block.intro': 'The long fingerprints (hashes and roots) summarize its contents: change one byte and they change, so anyone can check a copy against them.',
    'explorer.block.previous': 'Previous block', 'explorer.block.next': 'Next block', 'explorer.block.hash': 'Block fingerprint (hash)',
    'explorer.block.previousHash': 'Previous block\'s fingerprint', 'explorer.block.round': 'Voting round', 'explorer.block.stateRoot': 'Fingerprint of all data after this block (state root)',
    'explorer.block.transactionsRoot': 'Fingerprint of its transactions', 'explorer.block.receiptsRoot': 'Fingerprint of their results (receipts)',
    'explorer.block.validatorsHash': 'Fingerprint of the validator list', 'explorer.block.chain': 'Chain',
    'explorer.block.signatures': 'Who signed this block',
    'explorer.block.signaturesSummary': 'Signed by {signed} of {total} validators. A block counts once more than two thirds of them have signed it.',
    'explorer.block.genesis': 'This is the first block (genesis). It is not voted on: every node starts from the same genesis file.',
    'explorer.block.validator': 'Validator', 'explorer.block.organization': 'Organization', 'explorer.block.signed': 'Signed',
    'explorer.block.signedYes': 'Signed', 'explorer.block.signedNo': 'Not among the signatures',
    'explorer.block.transactions': 'Transactions in this block ({count})', 'explorer.block.noTransactions': 'This block holds no transactions.',
    'explorer.block.index': 'No.', 'explorer.block.call': 'Action (contract.method)', 'explorer.block.signer': 'Signer', 'explorer.block.result': 'Result',
  },
  zh: {
    'explorer.blocks.title': '区块',
    'explorer.blocks.intro': '区块链由一个个区块依次连接而成。每个区块打包了验证节点（各成员单位运行的节点）在同一时刻共同确认的交易，并由这些节点签名。区块一经写入，不可更改。',
    'explorer.blocks.caption': '区块列表（最新在前）', 'explorer.blocks.older': '更早的区块', 'explorer.blocks.newest': '最新区块',
    'explorer.blocks.transactions': '交易数', 'explorer.blocks.proposer': '出块节点', 'explorer.blocks.age': '距今',
    'explorer.block.title': '第 {height} 号区块',
    'explorer.block.intro': '下列较长的“指纹”（哈希值、根）概括了区块内容：内容哪怕改动一个字节，指纹都会改变，因此任何人都可以据此核对副本。',
    'explorer.block.previous': '上一个区块', 'explorer.block.next': '下一个区块', 'explorer.block.hash': '区块指纹（哈希）',
    'explorer.block.previousHash': '上一区块的指纹', 'explorer.block.round': '投票轮次', 'explorer.block.stateRoot': '本区块之后全部数据的指纹（状态根）',
    'explorer.block.transactionsRoot': '交易的指纹', 'explorer.block.receiptsRoot': '交易结果（回执）的指纹',
    'explorer.block.validatorsHash': '验证节点名单的指纹', 'explorer.block.chain': '链',
    'explorer.block.signatures': '谁签署了本区块',
    'explorer.block.signaturesSummary': '{total} 个验证节点中有 {signed} 个签名。超过三分之二的节点签名后，区块即告确认。',
    'explorer.block.genesis': '这是第一个区块（创世区块），无需投票：所有节点都从同一份创世文件启动。',
    'explorer.block.validator': '验证节点', 'explorer.block.organization': '所属单位', 'explorer.block.signed': '是否签名',
    'explorer.block.signedYes': '已签名', 'explorer.block.signedNo': '不在签名之列',
    'explorer.block.transactions': '本区块中的交易（{count} 笔）', 'explorer.block.noTransactions': '本区块没有交易。',
    'explorer.block.index': '序号', 'explorer.block.call': '操作（合约.方法）', 'explorer.block.signer': '签名人', 'explorer.block.result': '结果',
  },
});

/**
 * A table of block summaries (from `blockPage`), each row linking to its block; `compact` keeps the height, age,
 * transaction count and proposer (for a narrow column).
 */
export function blocksTable(blocks, chain, caption, { compact = false, testid = 'blocks-table' } = {}) {
  const columns = [
    { label: t('common.height'), class: 'num', value: block => link(`/blocks/${block.height}`, number(block.height)) },
    compact ? null : { label: t('common.time'), value: block => time(block.time_ms) },
    { label: t('explorer.blocks.age'), value: block => ago(block.time_ms) },
    { label: t('explorer.blocks.transactions'), class: 'num', value: block => number(block.transaction_count) },
    { label: t('explorer.blocks.proposer'), value: block => block.proposer?.name ?? validatorName(chain, block.proposer?.index, { compact }) },
    compact ? null : { label: t('common.hash'), value: block => hash(block.hash, `/blocks/${block.hash}`) },
  ].filter(Boolean);
  return tagRows(table(columns, blocks, { caption, testid }), blocks, block => ({ testid: 'block-row', height: block.height }));
}

async function blockList({ query, chain, signal }) {
  const before = /^\d+$/.test(query.before ?? '') ? Number(query.before) : undefined;
  const page = await blockPage({ before, limit: 20, signal });
  return [
    heading(t('explorer.blocks.title'), t('explorer.blocks.intro')),
    blocksTable(page.blocks, chain, t('explorer.blocks.caption')),
    h('nav', { class: 'actions', attrs: { 'aria-label': t('explorer.blocks.title') } },
      before !== undefined ? link('/blocks', t('explorer.blocks.newest'), { class: 'button secondary', dataset: { testid: 'blocks-newest' } }) : null,
      page.next_before ? link(`/blocks?before=${page.next_before}`, t('explorer.blocks.older'), { class: 'button', dataset: { testid: 'blocks-older' } }) : null),
  ];
}

function signaturesSection(block, chain) {
  const { certificate, header } = block;
  if (!certificate) return section(t('explorer.block.signatures'), notice(t('explorer.block.genesis')));
  const signedBy = new Map(certificate.signatures.map(signature => [signature.validator_index, signature]));
  const validators = (chain?.validators ?? []).map((validator, index) => ({ ...validator, index }));
  for (const [index, signature] of signedBy) {
    if (!validators[index]) validators[index] = { index, name: signature.validator, organization: '—' };
  }
  const total = Math.max(validators.length, signedBy.size);
  const rows = validators.filter(Boolean);
  return section(t('explorer.block.signatures'),
    h('p', { dataset: { testid: 'block-signature-summary' }, text: t('explorer.block.signaturesSummary', { signed: signedBy.size, total }) }),
    tagRows(table([
      { label: t('explorer.block.validator'), value: validator => signedBy.get(validator.index)?.validator ?? validator.name },
      { label: t('explorer.block.organization'), value: validator => validator.organization },
      { label: t('explorer.block.signed'), value: validator => (signedBy.has(validator.index) ? statusText(true) : statusText(false)) },
    ], rows, { caption: t('explorer.block.signatures') }), rows, validator => ({ testid: 'block-signer-row', signed: String(signedBy.has(validator.index)) })),
    h('p', { class: 'small', text: `${t('explorer.block.round')}: ${certificate.round} · ${t('common.height')}: ${header.height}` }));
}

function statusText(signed) {
  return h('span', { class: signed ? 'badge ok' : 'badge warn', text: signed ? t('explorer.block.signedYes') : t('explorer.block.signedNo') });
}

async function blockDetail({ params, chain, signal }) {
  const [block, { height: head }] = await Promise.all([fullBlock(params.id, signal), get('/v1/chain', { signal })]);
  const { header, transactions, receipts } = block;
  const rows = transactions.map((transaction, index) => ({ transaction, receipt: receipts[index], index }));
  return [
    heading(t('explorer.block.title', { height: number(header.height) }), t('explorer.block.intro')),
    h('nav', { class: 'actions', attrs: { 'aria-label': t('explorer.blocks.title') } },
      header.height > 0 ? link(`/blocks/${header.height - 1}`, `← ${t('explorer.block.previous')}`, { class: 'button secondary', dataset: { testid: 'block-previous' } }) : null,
      header.height < head ? link(`/blocks/${header.height + 1}`, `${t('explorer.block.next')} →`, { class: 'button secondary', dataset: { testid: 'block-next' } }) : null),
    section(t('common.details'), h('div', { dataset: { testid: 'block-header', height: String(header.height) } }, facts([
      [t('common.height'), number(header.height)],
      [t('common.time'), [time(header.time_ms), ' (', ago(header.time_ms), ')']],
      [t('explorer.block.hash'), h('span', { class: 'mono', text: header.hash })],
      [t('explorer.block.previousHash'), header.height > 0 ? link(`/blocks/${header.height - 1}`, header.previous_hash, { class: 'mono' }) : h('span', { class: 'mono', text: header.previous_hash })],
      [t('explorer.blocks.proposer'), validatorName(chain, header.proposer)],
      [t('explorer.blocks.transactions'), number(header.transaction_count)],
      [t('explorer.block.chain'), header.chain_id],
      [t('explorer.block.transactionsRoot'), h('span', { class: 'mono', text: header.transactions_root })],
      [t('explorer.block.receiptsRoot'), h('span', { class: 'mono', text: header.receipts_root })],
      [t('explorer.block.stateRoot'), h('span', { class: 'mono', text: header.state_root })],
      [t('explorer.block.validatorsHash'), h('span', { class: 'mono', text: header.validators_hash })],
    ]))),
    signaturesSection(block, chain),
    section(t('explorer.block.transactions', { count: number(rows.length) }),
      tagRows(table([
        { label: t('explorer.block.index'), class: 'num', value: row => String(row.index) },
        { label: t('common.hash'), value: row => hash(row.transaction.hash, `/tx/${row.transaction.hash}`) },
        { label: t('explorer.block.call'), value: row => callLabel(row.transaction) },
        { label: t('explorer.block.signer'), value: row => signerLink(row.transaction.signer_address) },
        { label: t('explorer.block.result'), value: row => statusBadge(row.receipt) },
      ], rows, { caption: t('explorer.block.transactions', { count: rows.length }), empty: t('explorer.block.noTransactions'), testid: 'block-transactions' }),
      rows, row => ({ testid: 'block-tx-row', hash: row.transaction.hash }))),
  ];
}

/** Registers `#/blocks` and `#/blocks/:id`. */
export function register(app) {
  app.route('/blocks', 'blocks', blockList);
  app.route('/blocks/:id', 'block', blockDetail);
}
