// What the explorer pages share: reading blocks (a page of summaries, one whole block), describing a transaction's
// contract call and its receipt's status in plain words, naming signers and validators, and reading /metrics.
import { get, segment } from '../../api.js';
import { badge, facts, h, hash } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';

addStrings({
  en: {
    'explorer.status.success': 'Succeeded', 'explorer.status.failure': 'Failed',
    'explorer.contract.kv': 'Key-value notes: a signer writes or deletes a small value under their own name',
    'explorer.contract.identity': 'Identities: who may sign on this chain, in which organization and role',
    'explorer.contract.evidence': 'Evidence: the fingerprint of a document, recorded so anyone can later prove it existed unchanged',
    'explorer.contract.catalog': 'Data catalog: data resources departments offer, requests for them and decisions',
    'explorer.contract.certificates': 'Electronic certificates: issuing, authorizing and checking licences and permits',
    'explorer.contract.governance': 'Governance: proposals and votes that change the chain\'s rules and members',
    'explorer.contract.code': 'Contract code: deploying and upgrading programs that run on the chain',
    'explorer.contract.accountability': 'Accountability: records of validators that broke the rules',
    'explorer.contract.other': 'A contract deployed on this chain',
    'explorer.validator': 'Validator {index}',
  },
  zh: {
    'explorer.status.success': '成功', 'explorer.status.failure': '失败',
    'explorer.contract.kv': '键值记录：签名人以自己名义写入或删除一条小数据',
    'explorer.contract.identity': '身份管理：谁可以在本链签名，属于哪个单位、什么角色',
    'explorer.contract.evidence': '存证：登记文件的指纹，日后任何人都可证明该文件当时已存在且未被改动',
    'explorer.contract.catalog': '数据目录：各部门提供的数据资源、使用申请及审批',
    'explorer.contract.certificates': '电子证照：证照的签发、授权使用与核验',
    'explorer.contract.governance': '治理：修改链上规则和成员的提案与投票',
    'explorer.contract.code': '合约代码：部署和升级在链上运行的程序',
    'explorer.contract.accountability': '问责：验证节点违规行为的记录',
    'explorer.contract.other': '本链上部署的合约',
    'explorer.validator': '验证节点 {index}',
  },
});

const KNOWN_CONTRACTS = ['kv', 'identity', 'evidence', 'catalog', 'certificates', 'governance', 'code', 'accountability'];

/** What a contract is for, in plain words. */
export function contractPurpose(contract) {
  return t(KNOWN_CONTRACTS.includes(contract) ? `explorer.contract.${contract}` : 'explorer.contract.other');
}

/** `contract.method` as code, with what the contract is for as its tooltip. */
export function callLabel(transaction) {
  return h('code', { class: 'mono', title: contractPurpose(transaction.contract), text: `${transaction.contract}.${transaction.method}` });
}

/** Sets `data-testid` (and other data attributes from `data(row)`) on each body row of a table built by dom.table. */
export function tagRows(tableElement, rows, data) {
  const rowElements = tableElement.querySelectorAll('tbody tr');
  rows.forEach((row, index) => { if (rowElements[index]) Object.assign(rowElements[index].dataset, data(row)); });
  return tableElement;
}

/** An event's attributes (`[[name, value]]`) as a small definition list. */
export function compactFacts(attributes) {
  const list = facts(attributes);
  list.classList.add('compact');
  return list;
}

/** A receipt's status as a badge (green when it succeeded, red with its code when it failed). */
export function statusBadge(receipt) {
  if (!receipt) return '—';
  return receipt.status === 'success'
    ? badge(t('explorer.status.success'), 'ok')
    : badge(`${t('explorer.status.failure')}${receipt.code ? ` · ${receipt.code}` : ''}`, 'bad');
}

/** The name (and organization, unless `compact`) of validator `index` of the chain's current set (from /v1/chain). */
export function validatorName(chain, index, { compact = false } = {}) {
  const validator = chain?.validators?.[index];
  if (!validator) return t('explorer.validator', { index });
  return compact ? validator.name : `${validator.name} · ${validator.organization}`;
}

const blocks = new Map(); // height → whole block (committed blocks never change): the newest BLOCKS_KEPT read
const BLOCKS_KEPT = 64;

/** A whole block (header, certificate, transactions, receipts) by height or hash; the last ones read are kept. */
export async function fullBlock(id, signal) {
  const key = /^\d+$/.test(String(id)) ? Number(id) : null;
  if (key !== null && blocks.has(key)) return blocks.get(key);
  const block = await get(`/v1/blocks/${segment(id)}`, { signal });
  blocks.set(block.header.height, block);
  if (blocks.size > BLOCKS_KEPT) blocks.delete(blocks.keys().next().value);
  return block;
}

/**
 * A page of block summaries, newest first: the blocks below height `before` (or from the head without it), at most
 * `limit` of them. Answers `{blocks: [{height, hash, time_ms, transaction_count, round, proposer: {index, name}}],
 * next_before}` — `next_before` is absent once the page reaches the first block.
 */
export async function blockPage({ before, limit = 20, signal } = {}) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== undefined && before !== null) query.set('before', String(before));
  try {
    return await get(`/v1/blocks?${query}`, { signal });
  } catch (error) {
    if (error.code !== 'http.404') throw error;
    return olderNodeBlockPage(before, limit, signal);
  }
}

/** The same page from a node without `GET /v1/blocks` (it answers a bare 404): read block by block. */
async function olderNodeBlockPage(before, limit, signal) {
  const top = before ?? (await get('/v1/blocks/latest', { signal })).header.height + 1;
  const heights = [];
  for (let height = top - 1; height >= 0 && heights.length < limit; height -= 1) heights.push(height);
  const page = await Promise.all(heights.map(height => fullBlock(height, signal)));
  const lowest = heights[heights.length - 1];
  return {
    blocks: page.map(({ header, certificate }) => ({ height: header.height, hash: header.hash, time_ms: header.time_ms,
      transaction_count: header.transaction_count, round: certificate?.round, proposer: { index: header.proposer } })),
    next_before: lowest > 0 ? lowest : undefined,
  };
}

const identities = new Map(); // address → promise of {name, organization, role, active} or null

/** The registered identity at `address` (its decoded record), or null when none is registered there. */
export function identityOf(address) {
  if (!identities.has(address)) {
    identities.set(address, get(`/v1/identities/${segment(address)}`)
      .then(answer => (answer.present ? answer.decoded : null))
      .catch(() => { identities.delete(address); return null; }));
  }
  return identities.get(address);
}

/** A link to the identity at `address`, showing the address until the registered name (if any) is known. */
export function signerLink(address) {
  const anchor = hash(address, `/identities/${address}`);
  identityOf(address).then(identity => {
    if (!identity) return;
    anchor.textContent = `${identity.name} · ${identity.organization}`;
    anchor.setAttribute('aria-label', anchor.textContent); // the address stays in its title
  });
  return anchor;
}

/**
 * Reads Prometheus text exposition into a Map from series (the metric name, with its labels as written, e.g.
 * `civic_peers{state="up"}`) to its number. Comments and malformed lines are skipped.
 */
export function parsePrometheus(text) {
  const values = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line.trim());
    if (match && !line.startsWith('#')) values.set(match[1], Number(match[2]));
  }
  return values;
}
