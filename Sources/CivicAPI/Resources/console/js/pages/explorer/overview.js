// #/: the chain at a glance — height, the latest block, how fast blocks and transactions come, the validators and
// whether they sign, what waits in the queue, the latest blocks and transactions — refreshed in place every few
// seconds (the figures change; the page, and where the reader's focus is, stay).
import { get, getRaw } from '../../api.js';
import { ago, badge, h, hash, heading, link, number, replace, section, table } from '../../dom.js';
import { addStrings, currentLanguage, t } from '../../i18n.js';
import { lineChart } from '../../chart.js';
import { blockPage, callLabel, fullBlock, parsePrometheus, statusBadge, tagRows } from './common.js';
import { blocksTable } from './blocks.js';

addStrings({
  en: {
    'explorer.overview.title': 'Overview',
    'explorer.overview.about': 'What is this? The city\'s departments keep a shared record here: who shared which data with whom, which certificates were issued, which documents were registered as evidence. Each department runs a node (a "validator"); a record is added only when more than two thirds of them agree and sign, and nobody can change it afterwards. This page shows that record growing.',
    'explorer.overview.height': 'Blocks so far (height)', 'explorer.overview.latest': 'Latest block', 'explorer.overview.interval': 'Time between blocks',
    'explorer.overview.intervalSub': 'average of the last {count}; at least {min} ms', 'explorer.overview.hour': 'Transactions in the last hour',
    'explorer.overview.hourSub': 'in {count} blocks', 'explorer.overview.hourCapped': 'at least {count} (only the newest blocks were read)',
    'explorer.overview.pending': 'Waiting to be recorded', 'explorer.overview.pendingSub': 'transactions in this node\'s queue',
    'explorer.overview.validators': 'Validators online', 'explorer.overview.validatorsSub': 'more than 2/3 must sign each block',
    'explorer.overview.tps': 'Transactions per second', 'explorer.overview.tpsLabel': 'Transactions per second since {time}', 'explorer.overview.tpsEmpty': 'Not enough blocks yet to draw a chart.',
    'explorer.overview.health': 'Validators and their health',
    'explorer.overview.healthIntro': 'Each validator is a node run by a member organization. "Connected" means this node can reach it now; "signing" counts the recent blocks it signed. A block needs only enough signatures, so a healthy validator does not sign every one; one that signs none is not taking part.',
    'explorer.overview.validator': 'Validator', 'explorer.overview.organization': 'Organization', 'explorer.overview.connection': 'Connection', 'explorer.overview.signing': 'Signing',
    'explorer.overview.self': 'This node', 'explorer.overview.connected': 'Connected', 'explorer.overview.disconnected': 'Not connected',
    'explorer.overview.signed': 'Signed {signed} of the last {blocks} blocks', 'explorer.overview.signedLatest': 'Signed the latest block',
    'explorer.overview.notSignedLatest': 'Did not sign the latest block', 'explorer.overview.noSigning': 'No signed block yet',
    'explorer.overview.latestBlocks': 'Latest blocks', 'explorer.overview.latestTransactions': 'Latest transactions',
    'explorer.overview.allBlocks': 'All blocks', 'explorer.overview.noTransactions': 'No transactions in the recent blocks.',
    'explorer.overview.call': 'Action', 'explorer.overview.block': 'Block', 'explorer.overview.age': 'Age', 'explorer.overview.result': 'Result',
    'explorer.overview.unreachable': 'The node did not answer the last refresh; the figures may be out of date.',
  },
  zh: {
    'explorer.overview.title': '概览',
    'explorer.overview.about': '这是什么？全市各部门在这里共同维护一份记录：谁把哪些数据共享给了谁、签发了哪些电子证照、哪些文件做了存证。每个部门运行一个节点（“验证节点”）；只有超过三分之二的节点同意并签名，一条记录才会写入，且此后任何人都无法更改。本页显示这份记录的实时增长情况。',
    'explorer.overview.height': '区块总数（高度）', 'explorer.overview.latest': '最新区块', 'explorer.overview.interval': '出块间隔',
    'explorer.overview.intervalSub': '最近 {count} 个区块的平均值；最短 {min} 毫秒', 'explorer.overview.hour': '近一小时交易数',
    'explorer.overview.hourSub': '分布在 {count} 个区块中', 'explorer.overview.hourCapped': '至少 {count}（仅读取了最新的区块）',
    'explorer.overview.pending': '待上链交易', 'explorer.overview.pendingSub': '本节点队列中的交易',
    'explorer.overview.validators': '在线验证节点', 'explorer.overview.validatorsSub': '每个区块须有超过三分之二的节点签名',
    'explorer.overview.tps': '每秒交易数', 'explorer.overview.tpsLabel': '自 {time} 起的每秒交易数', 'explorer.overview.tpsEmpty': '区块还太少，暂无法绘制图表。',
    'explorer.overview.health': '验证节点及其状态',
    'explorer.overview.healthIntro': '每个验证节点由一个成员单位运行。“已连接”表示本节点当前能与其通信；“签名”统计其在最近区块中的签名次数。区块只需足够多的签名即可确认，因此正常的节点不一定签署每个区块；若一个也没签，说明该节点没有参与。',
    'explorer.overview.validator': '验证节点', 'explorer.overview.organization': '所属单位', 'explorer.overview.connection': '连接', 'explorer.overview.signing': '签名',
    'explorer.overview.self': '本节点', 'explorer.overview.connected': '已连接', 'explorer.overview.disconnected': '未连接',
    'explorer.overview.signed': '最近 {blocks} 个区块中签名 {signed} 个', 'explorer.overview.signedLatest': '已签署最新区块',
    'explorer.overview.notSignedLatest': '未签署最新区块', 'explorer.overview.noSigning': '尚无已签名区块',
    'explorer.overview.latestBlocks': '最新区块', 'explorer.overview.latestTransactions': '最新交易',
    'explorer.overview.allBlocks': '全部区块', 'explorer.overview.noTransactions': '最近的区块中没有交易。',
    'explorer.overview.call': '操作', 'explorer.overview.block': '区块', 'explorer.overview.age': '距今', 'explorer.overview.result': '结果',
    'explorer.overview.unreachable': '节点未响应最近一次刷新，数据可能不是最新的。',
  },
});

const HOUR = 3600 * 1000;
const PAGES_MAX = 5;      // at most this many pages of 100 block summaries for the last hour
const LATEST = 10;        // rows in the latest blocks and latest transactions
const BUCKETS = 30;       // points of the TPS chart
const REFRESH_MS = 3000;

/** A figure in the stats grid, updated in place with `set(value, sub)`. */
function stat(testid, label) {
  const value = h('span', { class: 'value', dataset: { testid }, text: '—' });
  const sub = h('span', { class: 'sub' });
  return {
    node: h('div', { class: 'stat' }, h('span', { class: 'label', text: label }), value, sub),
    set(text, subText = '') { value.textContent = text; sub.textContent = subText; },
  };
}

/** Replaces `container`'s content with `build()` unless the reader's focus is inside it (then the next refresh will). */
function updateIdle(container, build) {
  if (!container.contains(document.activeElement)) replace(container, build());
}

/** The block summaries of the last hour (at least LATEST of them), newest first, kept up to date by `refresh(head)`. */
function recentBlocks(signal) {
  let blocks = [];
  let capped = false;
  const trim = () => {
    const since = Date.now() - HOUR;
    blocks = blocks.filter((block, index) => index < LATEST || block.time_ms >= since);
  };
  async function loadHour() {
    blocks = [];
    let before;
    for (let pages = 0; pages < PAGES_MAX; pages += 1) {
      const page = await blockPage({ before, limit: 100, signal });
      blocks.push(...page.blocks);
      before = page.next_before;
      capped = pages === PAGES_MAX - 1 && before !== undefined;
      if (!before || blocks[blocks.length - 1].time_ms < Date.now() - HOUR) { capped = false; break; }
    }
  }
  return {
    get blocks() { return blocks; },
    get capped() { return capped; },
    /** Reads the blocks above what is known, up to `head`. */
    async refresh(head) {
      const known = blocks[0]?.height ?? -1;
      if (head <= known) return false;
      if (known < 0 || head - known > 100) await loadHour();
      else {
        const page = await blockPage({ limit: head - known, signal });
        blocks = page.blocks.filter(block => block.height > known).concat(blocks);
      }
      trim();
      return true;
    },
  };
}

/** Transactions per second over the blocks' time span (to now), in BUCKETS equal slices. */
function tpsPoints(blocks) {
  if (blocks.length < 2) return [];
  const end = Date.now();
  const start = Math.min(blocks[blocks.length - 1].time_ms, end - 60 * 1000);
  const width = Math.max(1000, (end - start) / BUCKETS);
  const counts = new Array(BUCKETS).fill(0);
  for (const block of blocks) {
    const index = Math.min(BUCKETS - 1, Math.floor((block.time_ms - start) / width));
    if (index >= 0) counts[index] += block.transaction_count;
  }
  return counts.map((count, index) => ({ x: start + (index + 1) * width, y: count / (width / 1000) }));
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString(currentLanguage() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

function tpsChart(blocks) {
  const points = tpsPoints(blocks);
  return lineChart({
    points, width: 1000, height: 220, empty: t('explorer.overview.tpsEmpty'),
    label: points.length ? t('explorer.overview.tpsLabel', { time: clock(points[0].x) }) : t('explorer.overview.tps'),
    format: value => (value < 10 ? value.toFixed(2) : value.toFixed(0)),
    formatX: clock,
  });
}

/** The newest transactions of `blocks` (summaries), with their receipts, reading at most LATEST whole blocks. */
async function latestTransactions(blocks, signal) {
  const rows = [];
  for (const summary of blocks.filter(block => block.transaction_count > 0).slice(0, LATEST)) {
    const block = await fullBlock(summary.height, signal);
    for (let index = block.transactions.length - 1; index >= 0 && rows.length < LATEST; index -= 1) {
      rows.push({ transaction: block.transactions[index], receipt: block.receipts[index], header: block.header });
    }
    if (rows.length >= LATEST) break;
  }
  return rows;
}

function transactionsTable(rows) {
  return tagRows(table([
    { label: t('common.hash'), value: row => hash(row.transaction.hash, `/tx/${row.transaction.hash}`) },
    { label: t('explorer.overview.call'), value: row => callLabel(row.transaction) },
    { label: t('explorer.overview.block'), class: 'num', value: row => link(`/blocks/${row.header.height}`, number(row.header.height)) },
    { label: t('explorer.overview.age'), value: row => ago(row.header.time_ms) },
    { label: t('explorer.overview.result'), value: row => statusBadge(row.receipt) },
  ], rows, { caption: t('explorer.overview.latestTransactions'), empty: t('explorer.overview.noTransactions'), testid: 'latest-transactions' }),
  rows, row => ({ testid: 'latest-tx-row', hash: row.transaction.hash }));
}

/**
 * The validators with their connection and signing record: from `GET /v1/node` when the node offers it, else from
 * `/v1/chain` (its connected peers) and the latest block's signatures.
 */
function validatorRows(chain, node, latestBlock) {
  if (node) {
    const health = new Map((node.validator_health?.validators ?? []).map(entry => [entry.index, entry]));
    const window = node.validator_health?.blocks ?? 0;
    return node.peers.map(peer => ({
      name: peer.name, organization: peer.organization, self: peer.is_self, connected: peer.is_self || peer.connected,
      // A block needs only enough signatures, so a healthy validator need not sign every one; none is a problem.
      signing: window === 0 ? { text: t('explorer.overview.noSigning'), kind: 'info' }
        : { text: t('explorer.overview.signed', { signed: health.get(peer.index)?.signed ?? 0, blocks: window }),
          kind: (health.get(peer.index)?.signed ?? 0) > 0 ? 'ok' : 'bad' },
    }));
  }
  const signers = new Set((latestBlock?.certificate?.signatures ?? []).map(signature => signature.validator_index));
  return chain.validators.map((validator, index) => ({
    name: validator.name, organization: validator.organization, self: index === chain.validator_index,
    connected: index === chain.validator_index || (chain.connected_peers ?? []).includes(validator.name),
    signing: !latestBlock?.certificate ? { text: t('explorer.overview.noSigning'), kind: 'info' }
      : signers.has(index) ? { text: t('explorer.overview.signedLatest'), kind: 'ok' } : { text: t('explorer.overview.notSignedLatest'), kind: 'warn' },
  }));
}

function validatorsTable(rows) {
  return tagRows(table([
    { label: t('explorer.overview.validator'), value: row => row.name },
    { label: t('explorer.overview.organization'), value: row => row.organization },
    { label: t('explorer.overview.connection'), value: row => (row.self ? badge(t('explorer.overview.self'), 'info')
      : row.connected ? badge(t('explorer.overview.connected'), 'ok') : badge(t('explorer.overview.disconnected'), 'bad')) },
    { label: t('explorer.overview.signing'), value: row => badge(row.signing.text, row.signing.kind) },
  ], rows, { caption: t('explorer.overview.health'), testid: 'validators-table' }), rows, row => ({ testid: 'validator-row', name: row.name, connected: String(row.connected) }));
}

/** `GET /v1/node`, or null from a node that does not offer it (a bare 404). */
async function nodeStatus(signal) {
  try { return await get('/v1/node', { signal }); } catch (error) { if (error.code === 'http.404') return null; throw error; }
}

/** The number of transactions waiting in this node's mempool, from its Prometheus metrics. */
async function mempoolSize() {
  const response = await getRaw('/metrics');
  return parsePrometheus(await response.text()).get('civic_mempool_transactions');
}

async function overviewPage({ signal, every }) {
  const stats = {
    height: stat('stat-height', t('explorer.overview.height')),
    latest: stat('stat-latest', t('explorer.overview.latest')),
    interval: stat('stat-interval', t('explorer.overview.interval')),
    hour: stat('stat-hour', t('explorer.overview.hour')),
    pending: stat('stat-pending', t('explorer.overview.pending')),
    validators: stat('stat-validators', t('explorer.overview.validators')),
  };
  const chart = h('div', { dataset: { testid: 'tps-chart' } });
  const validators = h('div');
  const latestBlocks = h('div');
  const latestTxs = h('div');
  const problem = h('div', { attrs: { 'aria-live': 'polite' } });
  const recent = recentBlocks(signal);

  async function update() {
    const [chain, node, pending] = await Promise.all([get('/v1/chain', { signal }), nodeStatus(signal), mempoolSize()]);
    const moved = await recent.refresh(chain.height);
    const { blocks } = recent;
    const newest = blocks[0];
    const latestBlock = newest ? await fullBlock(newest.height, signal) : null;
    stats.height.set(number(chain.height));
    if (newest) stats.latest.set(ago(newest.time_ms), `#${number(newest.height)} · ${new Date(newest.time_ms).toLocaleString(currentLanguage() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false })}`);
    const gaps = blocks.slice(0, 21);
    if (gaps.length > 1) {
      const average = (gaps[0].time_ms - gaps[gaps.length - 1].time_ms) / (gaps.length - 1) / 1000;
      stats.interval.set(`${average.toFixed(average < 10 ? 1 : 0)} s`, t('explorer.overview.intervalSub', { count: gaps.length, min: number(chain.block_interval_ms) }));
    }
    const hourBlocks = blocks.filter(block => block.time_ms >= Date.now() - HOUR);
    const hourCount = number(hourBlocks.reduce((sum, block) => sum + block.transaction_count, 0));
    stats.hour.set(recent.capped ? `≥ ${hourCount}` : hourCount, recent.capped ? t('explorer.overview.hourCapped', { count: hourCount }) : t('explorer.overview.hourSub', { count: number(hourBlocks.length) }));
    stats.pending.set(number(pending ?? node?.mempool_transactions ?? chain.pending_transactions), t('explorer.overview.pendingSub'));
    const rows = validatorRows(chain, node, latestBlock);
    stats.validators.set(`${rows.filter(row => row.connected).length} / ${rows.length}`, t('explorer.overview.validatorsSub'));
    updateIdle(validators, () => validatorsTable(rows));
    updateIdle(chart, () => tpsChart(blocks)); // the time axis moves even without new blocks
    if (moved) {
      updateIdle(latestBlocks, () => blocksTable(blocks.slice(0, LATEST), chain, t('explorer.overview.latestBlocks'), { compact: true, testid: 'latest-blocks' }));
      const transactions = await latestTransactions(blocks, signal);
      updateIdle(latestTxs, () => transactionsTable(transactions));
    }
  }

  await update();
  let busy = false; // a slow node must not pile refreshes up
  every(REFRESH_MS, async () => {
    if (busy) return;
    busy = true;
    try { await update(); replace(problem); } catch (error) {
      if (error.name !== 'AbortError') replace(problem, h('div', { class: 'notice warn', attrs: { role: 'status' }, text: t('explorer.overview.unreachable') }));
    } finally { busy = false; }
  });
  return [
    heading(t('explorer.overview.title'), t('explorer.overview.about')),
    problem,
    h('div', { class: 'stats', dataset: { testid: 'overview-stats' } }, Object.values(stats).map(entry => entry.node)),
    section(t('explorer.overview.tps'), chart),
    section(t('explorer.overview.health'), h('p', { class: 'intro', text: t('explorer.overview.healthIntro') }), validators),
    h('div', { class: 'grid' },
      section(t('explorer.overview.latestBlocks'), latestBlocks, h('p', {}, link('/blocks', t('explorer.overview.allBlocks')))),
      section(t('explorer.overview.latestTransactions'), latestTxs)),
  ];
}

/** Registers `#/`. */
export function register(app) {
  app.route('/', 'overview', overviewPage);
}
