// Nodes & health, for an operator: this node and the network as it sees them — the validators and whether they
// sign, the peer links, the certificates that must be renewed in time, the disk used, live figures drawn from
// /metrics while the page is open, and what the node refused and why.
import { addStrings, t } from '../i18n.js';
import { get, getRaw } from '../api.js';
import { ago, badge, bytes, errorNotice, field, h, hash, heading, link, notice, number, replace, section, table, time } from '../dom.js';
import { lineChart } from '../chart.js';
import { expiryBadge } from './governance/common.js';

addStrings({
  en: {
    'ops.title': 'Nodes & health',
    'ops.intro': 'What this node sees of the network: whether the validators are connected and signing, the certificates to renew in time, the disk it uses, live figures, and what it refused. The page updates every 5 seconds.',
    'ops.thisNode': 'This node', 'ops.follower': 'a follower (not a validator)', 'ops.height': 'Block height', 'ops.mempool': 'Waiting transactions',
    'ops.peers': 'Peers connected', 'ops.uptime': 'Running for', 'ops.version': 'Software', 'ops.ofPeers': 'of {count} other validators',
    'ops.headTime': 'newest block {ago}',
    'ops.validators': 'Validators', 'ops.validatorsIntro': 'Signatures on the commit certificates of the newest {blocks} blocks (heights {from} to {to}). A certificate keeps only the first signatures that make up the quorum (about two thirds of the votes), so a healthy validator signs many blocks but not every one.',
    'ops.col.name': 'Name', 'ops.col.organization': 'Organization', 'ops.col.connected': 'Connected now', 'ops.col.signed': 'Blocks signed',
    'ops.col.lastSigned': 'Last signed block', 'ops.col.health': 'Health', 'ops.col.endpoint': 'Network address', 'ops.col.key': 'Node key', 'ops.col.state': 'Link',
    'ops.self': 'this node', 'ops.signedOf': '{signed} of {blocks}',
    'ops.health.ok': 'signing', 'ops.health.quiet': 'none of the last {blocks} blocks', 'ops.health.silent': 'not signing', 'ops.health.young': 'no blocks yet',
    'ops.peerLinks': 'Peer links', 'ops.connected': 'connected', 'ops.disconnected': 'not connected', 'ops.unknownEndpoint': 'not known yet',
    'ops.unidentified': 'Configured addresses no node has answered at yet: {endpoints}. Check that the node there runs and that the firewall lets this node through.',
    'ops.certificates': 'Certificates', 'ops.certificatesIntro': 'Renew each certificate well before it expires: a warning shows 30 days ahead.',
    'ops.col.certificate': 'Certificate', 'ops.col.subject': 'Subject', 'ops.col.expires': 'Valid until', 'ops.col.left': 'Time left',
    'ops.cert.tls': 'Node TLS (links between nodes)', 'ops.cert.ca': 'Organization CA', 'ops.cert.tsa': 'Time-stamping',
    'ops.todo.tls': 'Have your organization’s CA issue a new TLS certificate for this node and save it with its key over the files the node was started with (--tls-cert, --tls-key). The node picks it up within seconds. Once expired, other nodes refuse this node’s links.',
    'ops.todo.ca': 'Create a new CA certificate and propose it to the member organizations (governance), then reissue the certificates it signs. Once expired, certificates it signed are no longer accepted.',
    'ops.todo.tsa': 'Issue a new time-stamping certificate and restart the node with it. Tokens already issued stay verifiable; new ones cannot be issued after expiry.',
    'ops.certAlert': 'A certificate of this node expires soon or has expired: see Certificates below.',
    'ops.storage': 'Storage', 'ops.col.kind': 'Store', 'ops.col.path': 'File', 'ops.col.size': 'Size', 'ops.total': 'Total', 'ops.ledgerBytes': 'The ledger store reports {size}.',
    'ops.store.ledger': 'Ledger (blocks and state)', 'ops.store.trail': 'Usage trail index', 'ops.store.consensus': 'Consensus signing record', 'ops.store.gateway': 'Exchange gateway',
    'ops.live': 'Live figures', 'ops.liveIntro': 'The charts start when you open this page and add a point every 5 seconds; they restart when you leave it.',
    'ops.chart.height': 'Block height', 'ops.chart.rate': 'Transactions committed per second', 'ops.chart.mempool': 'Transactions waiting',
    'ops.chart.peers': 'Peers connected', 'ops.chart.seconds': '{seconds} s', 'ops.chart.waiting': 'The first point appears after two samples (about 5 seconds).',
    'ops.refusals': 'What this node refused', 'ops.refusalsIntro': 'Counts since the node started, by reason. A few refusals are normal; a count that keeps growing deserves a look.',
    'ops.col.where': 'Where', 'ops.col.code': 'Code', 'ops.col.count': 'Count', 'ops.col.meaning': 'In plain words', 'ops.col.message': 'Message', 'ops.col.about': 'Concerning',
    'ops.where.admission': 'Transactions sent to this node', 'ops.where.peer_message': 'Messages from other nodes',
    'ops.where.block': 'Blocks received', 'ops.where.signer': 'This node’s own signer', 'ops.where.gateway': 'Data exchange gateway',
    'ops.noRefusals': 'This node has refused nothing since it started.',
    'ops.newest': 'Newest refusals', 'ops.filterCode': 'Reason', 'ops.allCodes': 'All reasons', 'ops.noNewest': 'No refusal kept.',
    'ops.codesTitle': 'What the most common codes mean',
    'ops.otherNodes': 'Other nodes', 'ops.otherIntro': 'This page shows what this node sees. To see another validator’s own view, open the console of that node: the chain does not record the web addresses of nodes, so ask its operator for it.',
    'ops.otherAddress': 'Web address of another node (e.g. https://node.example.gov.cn)', 'ops.otherOpen': 'Open its console',
    'ops.duration.days': '{days} d {hours} h', 'ops.duration.hours': '{hours} h {minutes} min', 'ops.duration.minutes': '{minutes} min',
    'code.transaction.bad_signature': 'The signature does not match: the wrong key was used, or the transaction was changed after signing.',
    'code.transaction.duplicate': 'The same transaction arrived twice; the copy was ignored. Usually a harmless retry.',
    'code.transaction.replay': 'This transaction is already on the chain; it cannot be carried out twice.',
    'code.transaction.nonce': 'The signer’s transactions arrived out of order.',
    'code.transaction.expired': 'The transaction arrived after its expiry time; the sender must prepare and sign it again.',
    'code.transaction.expiry_too_far': 'The transaction’s expiry is set too far ahead.',
    'code.transaction.wrong_chain': 'The transaction was signed for another chain (for example a test chain).',
    'code.transaction.chain_id': 'The transaction was signed for another chain (for example a test chain).',
    'code.transaction.wrong_suite': 'The transaction uses the other cryptography (SM2 instead of P-256, or the reverse).',
    'code.transaction.too_large': 'The transaction is larger than the chain allows.',
    'code.transaction.malformed': 'What arrived is not a readable transaction: damaged, or from incompatible software.',
    'code.mempool.full': 'Too many transactions were waiting; the sender should try again shortly.',
    'code.peer.not_member': 'A node that does not belong to a member organization tried to connect.',
    'code.peer.wrong_chain': 'A node of another chain tried to connect.',
    'code.peer.handshake_timeout': 'A connection did not introduce itself in time: network trouble, or a port scanner.',
    'code.peer.bad_hello_signature': 'A connecting node could not prove it holds its key.',
    'code.block.bad_certificate': 'A block arrived without enough valid validator signatures.',
    'code.block.execution_mismatch': 'Running a block here gave another result than its proposer announced. Tell the other operators at once.',
    'code.consensus.bad_signature': 'A consensus vote carried a signature that does not check.',
    'code.consensus.wrong_proposer': 'A block was proposed by a validator whose turn it was not.',
    'code.signer.conflict': 'This node’s signer refused to sign something that contradicts what it signed before. This prevents double signing; it often follows a restart from an old backup.',
    'family.transaction': 'A transaction was refused before it reached the chain.', 'family.mempool': 'The waiting queue refused a transaction.',
    'family.peer': 'A link or message from another node was refused.', 'family.block': 'A block from another node was refused.',
    'family.consensus': 'A consensus message from another node was refused.', 'family.signer': 'This node’s signer refused to sign, to avoid signing twice.',
    'family.other': 'See the message in the newest refusals.',
  },
  zh: {
    'ops.title': '节点与健康',
    'ops.intro': '本节点所见的网络状况：各验证节点是否在线、是否正常签名，需按时更换的证书，磁盘占用，实时指标，以及本节点拒绝了什么。本页每 5 秒更新一次。',
    'ops.thisNode': '本节点', 'ops.follower': '跟随节点（非验证节点）', 'ops.height': '区块高度', 'ops.mempool': '待处理交易',
    'ops.peers': '已连接节点', 'ops.uptime': '已运行', 'ops.version': '软件版本', 'ops.ofPeers': '其他验证节点共 {count} 个',
    'ops.headTime': '最新区块产生于{ago}',
    'ops.validators': '验证节点', 'ops.validatorsIntro': '最近 {blocks} 个区块（第 {from} 至 {to} 号）的共识证明上的签名情况。共识证明只保留最先达到法定票数（约三分之二）的签名，因此正常的验证节点会签署大多数区块，但不一定每个都签。',
    'ops.col.name': '名称', 'ops.col.organization': '单位', 'ops.col.connected': '当前连接', 'ops.col.signed': '签名区块数',
    'ops.col.lastSigned': '最近签名区块', 'ops.col.health': '健康状况', 'ops.col.endpoint': '网络地址', 'ops.col.key': '节点公钥', 'ops.col.state': '连接',
    'ops.self': '本节点', 'ops.signedOf': '已签 {signed} 个（共 {blocks} 个）',
    'ops.health.ok': '正常签名', 'ops.health.quiet': '最近 {blocks} 个区块均未签名', 'ops.health.silent': '未签名', 'ops.health.young': '尚无区块',
    'ops.peerLinks': '节点间连接', 'ops.connected': '已连接', 'ops.disconnected': '未连接', 'ops.unknownEndpoint': '暂未获知',
    'ops.unidentified': '以下已配置的地址尚无节点应答：{endpoints}。请确认对方节点正在运行，且防火墙允许本节点访问。',
    'ops.certificates': '证书', 'ops.certificatesIntro': '请在证书到期前及时更换：到期前 30 天起即提示。',
    'ops.col.certificate': '证书', 'ops.col.subject': '主体', 'ops.col.expires': '有效期至', 'ops.col.left': '剩余时间',
    'ops.cert.tls': '节点 TLS 证书（节点间通信）', 'ops.cert.ca': '单位 CA 证书', 'ops.cert.tsa': '时间戳证书',
    'ops.todo.tls': '请本单位 CA 为本节点签发新的 TLS 证书，连同私钥覆盖节点启动时指定的文件（--tls-cert、--tls-key），节点会在数秒内自动换用。过期后，其他节点将拒绝与本节点连接。',
    'ops.todo.ca': '请生成新的 CA 证书并提交成员单位表决（链上治理），再用其重新签发下级证书。过期后，其签发的证书将不再被接受。',
    'ops.todo.tsa': '请签发新的时间戳证书并以之重启节点。已签发的时间戳仍可验证；过期后无法签发新的时间戳。',
    'ops.certAlert': '本节点有证书即将到期或已经过期，请查看下方“证书”。',
    'ops.storage': '存储', 'ops.col.kind': '存储', 'ops.col.path': '文件', 'ops.col.size': '大小', 'ops.total': '合计', 'ops.ledgerBytes': '账本存储自报占用 {size}。',
    'ops.store.ledger': '账本（区块与状态）', 'ops.store.trail': '数据使用记录索引', 'ops.store.consensus': '共识签名记录', 'ops.store.gateway': '数据交换网关',
    'ops.live': '实时指标', 'ops.liveIntro': '图表从打开本页时开始记录，每 5 秒增加一个点；离开本页后重新开始。',
    'ops.chart.height': '区块高度', 'ops.chart.rate': '每秒上链交易数', 'ops.chart.mempool': '待处理交易',
    'ops.chart.peers': '已连接节点', 'ops.chart.seconds': '{seconds} 秒', 'ops.chart.waiting': '采样两次（约 5 秒）后显示第一个点。',
    'ops.refusals': '本节点拒绝的请求', 'ops.refusalsIntro': '自节点启动以来按原因统计。少量拒绝属正常；持续增长的计数值得关注。',
    'ops.col.where': '环节', 'ops.col.code': '代码', 'ops.col.count': '次数', 'ops.col.meaning': '含义', 'ops.col.message': '说明', 'ops.col.about': '涉及',
    'ops.where.admission': '提交到本节点的交易', 'ops.where.peer_message': '其他节点发来的消息',
    'ops.where.block': '收到的区块', 'ops.where.signer': '本节点的签名模块', 'ops.where.gateway': '数据交换网关',
    'ops.noRefusals': '本节点自启动以来没有拒绝任何请求。',
    'ops.newest': '最近的拒绝记录', 'ops.filterCode': '原因', 'ops.allCodes': '全部原因', 'ops.noNewest': '没有保留的拒绝记录。',
    'ops.codesTitle': '常见代码的含义',
    'ops.otherNodes': '其他节点', 'ops.otherIntro': '本页显示的是本节点所见的情况。要查看其他验证节点自身的情况，请打开该节点的控制台：链上不记录节点的网址，请向其运维人员索取。',
    'ops.otherAddress': '其他节点的网址（例如 https://node.example.gov.cn）', 'ops.otherOpen': '打开其控制台',
    'ops.duration.days': '{days} 天 {hours} 小时', 'ops.duration.hours': '{hours} 小时 {minutes} 分', 'ops.duration.minutes': '{minutes} 分钟',
    'code.transaction.bad_signature': '签名不符：使用了错误的私钥，或交易签名后被改动。',
    'code.transaction.duplicate': '同一笔交易收到两次，重复的一笔已忽略。通常是无害的重试。',
    'code.transaction.replay': '这笔交易已经上链，不能重复执行。',
    'code.transaction.nonce': '该签名人的交易到达顺序不对。',
    'code.transaction.expired': '交易到达时已过有效期，需重新生成并签名。',
    'code.transaction.expiry_too_far': '交易的有效期设置得过长。',
    'code.transaction.wrong_chain': '交易是为另一条链（例如测试链）签名的。',
    'code.transaction.chain_id': '交易是为另一条链（例如测试链）签名的。',
    'code.transaction.wrong_suite': '交易使用了另一套密码算法（应为国密 SM2 却用了 P-256，或相反）。',
    'code.transaction.too_large': '交易超过本链允许的大小。',
    'code.transaction.malformed': '收到的内容无法识别为交易：数据损坏，或来自不兼容的软件。',
    'code.mempool.full': '待处理交易过多，请发送方稍后重试。',
    'code.peer.not_member': '不属于任何成员单位的节点试图连接。',
    'code.peer.wrong_chain': '另一条链的节点试图连接。',
    'code.peer.handshake_timeout': '有连接未按时完成握手：网络故障，或端口扫描。',
    'code.peer.bad_hello_signature': '试图连接的节点无法证明持有其私钥。',
    'code.block.bad_certificate': '收到的区块缺少足够的有效验证节点签名。',
    'code.block.execution_mismatch': '本节点执行区块的结果与出块节点公布的不一致，请立即通知其他运维人员。',
    'code.consensus.bad_signature': '共识投票上的签名验证不通过。',
    'code.consensus.wrong_proposer': '区块由未轮到出块的验证节点提出。',
    'code.signer.conflict': '本节点的签名模块拒绝签署与此前所签内容相矛盾的消息，以防重复签名；常见于用旧备份重启节点之后。',
    'family.transaction': '交易在上链前被拒绝。', 'family.mempool': '交易等待队列拒绝了一笔交易。',
    'family.peer': '来自其他节点的连接或消息被拒绝。', 'family.block': '来自其他节点的区块被拒绝。',
    'family.consensus': '来自其他节点的共识消息被拒绝。', 'family.signer': '本节点的签名模块为避免重复签名而拒绝签名。',
    'family.other': '请查看最近拒绝记录中的说明。',
  },
});

/** How often the page samples /metrics and the node's status while it is open, in milliseconds. */
const sampleInterval = 5000;

/** A validator that signed none of this many newest blocks is flagged. */
const quietBlocks = 10;

/** The metrics that count refusals by `code`, and where each refusal happened. */
const refusalCounters = [
  ['civic_transactions_refused_total', 'admission'],
  ['civic_peer_messages_refused_total', 'peer_message'],
  ['civic_blocks_rejected_total', 'block'],
  ['civic_consensus_signer_refusals_total', 'signer'],
];

/**
 * Parses the Prometheus text exposition format (what /metrics serves) into samples `{name, labels, value}`.
 * Comment, type and blank lines are skipped; label values are unescaped; `+Inf`, `-Inf` and `NaN` are numbers.
 */
export function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line.trim());
    if (!match) continue;
    const labels = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value.replace(/\\(.)/g, (_, escaped) => (escaped === 'n' ? '\n' : escaped));
    }
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}

/** The sum of every sample named `name` (0 when there is none). */
export function metricTotal(samples, name) {
  return samples.filter(sample => sample.name === name).reduce((sum, sample) => sum + sample.value, 0);
}

/** A duration in milliseconds as days and hours, hours and minutes, or minutes. */
function duration(ms) {
  const minutes = Math.floor(ms / 60000), hours = Math.floor(minutes / 60), days = Math.floor(hours / 24);
  if (days > 0) return t('ops.duration.days', { days, hours: hours % 24 });
  if (hours > 0) return t('ops.duration.hours', { hours, minutes: minutes % 60 });
  return t('ops.duration.minutes', { minutes });
}

/** A label from the page's strings, or `fallback` when there is none for `key`. */
function wordsOr(key, fallback) {
  return t(key) === key ? fallback : t(key);
}

/** A refusal code in plain words: its own explanation, or its family's (the part before the dot). */
function explainCode(code) {
  const family = code.split('.')[0];
  return wordsOr(`code.${code}`, wordsOr(`family.${family}`, t('family.other')));
}

/** One figure in the row at the top. */
function stat(label, value, sub) {
  return h('div', { class: 'stat' }, h('span', { class: 'label', text: label }), h('span', { class: 'value' }, value),
    sub ? h('span', { class: 'sub', text: sub }) : null);
}

/**
 * A validator's health from its signatures in the window. A commit certificate holds only the first votes that make
 * the quorum, so a healthy validator signs many blocks but not every one: it is flagged when it signed none of the
 * newest `quietBlocks` blocks, and as not signing when it signed none in the whole window.
 */
function healthBadge(validator, signing) {
  if (signing.blocks === 0) return badge(t('ops.health.young'), 'info');
  if (!validator.last_signed_height) return badge(t('ops.health.silent'), 'bad');
  if (signing.to_height - validator.last_signed_height >= quietBlocks) return badge(t('ops.health.quiet', { blocks: quietBlocks }), 'warn');
  return badge(t('ops.health.ok'), 'ok');
}

/** Whether a peer is linked now, as a badge (this node itself says so). */
function linkBadge(peer) {
  if (peer.is_self) return badge(t('ops.self'), 'info');
  return peer.connected ? badge(t('ops.connected'), 'ok') : badge(t('ops.disconnected'), 'bad');
}

/** The figures of this node at the top of the page. */
function nodeStats(status) {
  const others = status.peers.filter(peer => !peer.is_self);
  return h('div', { class: 'stats', dataset: { testid: 'node-stats' } },
    stat(t('ops.thisNode'), status.node.name ?? '—', status.node.name ? status.node.organization : t('ops.follower')),
    stat(t('ops.height'), link(`/blocks/${status.height}`, number(status.height)), t('ops.headTime', { ago: ago(status.head_time_ms) })),
    stat(t('ops.mempool'), number(status.mempool_transactions)),
    stat(t('ops.peers'), number(others.filter(peer => peer.connected).length), t('ops.ofPeers', { count: others.length })),
    stat(t('ops.uptime'), duration(status.uptime_ms), status.version ? `${t('ops.version')} ${status.version}` : null));
}

/** The validators with their connection and signing record. */
function validatorSection(status) {
  const signing = status.validator_health;
  const health = new Map(signing.validators.map(record => [record.index, record]));
  return section(t('ops.validators'),
    h('p', { class: 'intro', text: t('ops.validatorsIntro', { blocks: signing.blocks, from: signing.from_height ?? '—', to: signing.to_height ?? '—' }) }),
    table([
      { label: t('ops.col.name'), value: peer => peer.name },
      { label: t('ops.col.organization'), value: peer => peer.organization },
      { label: t('ops.col.connected'), value: linkBadge },
      { label: t('ops.col.signed'), value: peer => t('ops.signedOf', { signed: health.get(peer.index)?.signed ?? 0, blocks: signing.blocks }), class: 'num' },
      { label: t('ops.col.lastSigned'), value: peer => { const last = health.get(peer.index)?.last_signed_height; return last ? link(`/blocks/${last}`, number(last)) : '—'; }, class: 'num' },
      { label: t('ops.col.health'), value: peer => healthBadge(health.get(peer.index) ?? { signed: 0 }, signing) },
    ], status.peers, { caption: t('ops.validators'), testid: 'validator-health' }));
}

/** The peer links: each other validator's address and link state, and configured addresses nobody answered at. */
function peerSection(status) {
  return section(t('ops.peerLinks'),
    table([
      { label: t('ops.col.name'), value: peer => peer.name },
      { label: t('ops.col.endpoint'), value: peer => peer.endpoint ? h('span', { class: 'mono', text: peer.endpoint }) : t('ops.unknownEndpoint') },
      { label: t('ops.col.state'), value: linkBadge },
      { label: t('ops.col.key'), value: peer => hash(peer.public_key) },
    ], status.peers.filter(peer => !peer.is_self), { caption: t('ops.peerLinks'), testid: 'peer-table' }),
    status.unidentified_endpoints.length ? notice(t('ops.unidentified', { endpoints: status.unidentified_endpoints.join(', ') }), 'warn') : null);
}

/** The certificates the node depends on, each with its expiry and what to do about it. */
function certificateSection(status) {
  return section(t('ops.certificates'),
    h('p', { class: 'intro', text: t('ops.certificatesIntro') }),
    table([
      { label: t('ops.col.certificate'), value: c => wordsOr(`ops.cert.${c.name}`, c.name) },
      { label: t('ops.col.subject'), value: c => h('span', { class: 'mono', text: c.subject }) },
      { label: t('ops.col.expires'), value: c => time(c.not_after_ms) },
      { label: t('ops.col.left'), value: c => expiryBadge(c.not_after_ms) },
    ], status.certificates, { caption: t('ops.certificates'), testid: 'certificate-table' }),
    status.certificates.filter(c => c.status !== 'ok').map(c => h('div', {
      class: `notice ${c.status === 'expired' ? 'bad' : 'warn'}`, dataset: { testid: 'certificate-todo' } },
    h('strong', { text: `${wordsOr(`ops.cert.${c.name}`, c.name)}: ` }), wordsOr(`ops.todo.${c.name}`, ''))));
}

/** The node's files, their sizes and their total. */
function storageSection(storage) {
  return section(t('ops.storage'),
    table([
      { label: t('ops.col.kind'), value: file => file.total ? h('strong', { text: t('ops.total') }) : wordsOr(`ops.store.${file.kind}`, file.kind) },
      { label: t('ops.col.path'), value: file => h('span', { class: 'mono', text: file.path }) },
      { label: t('ops.col.size'), value: file => file.total ? h('strong', { text: bytes(file.bytes) }) : bytes(file.bytes), class: 'num' },
    ], [...storage.files, { total: true, path: '', bytes: storage.total_bytes }], { caption: t('ops.storage'), testid: 'storage-table' }),
    h('p', { class: 'small', text: t('ops.ledgerBytes', { size: bytes(storage.ledger_bytes) }) }));
}

/** Everything /v1/node tells, as sections; a certificate near or past its expiry is announced first. */
function statusSections(status) {
  const alarming = status.certificates.some(certificate => certificate.status !== 'ok');
  return [
    alarming ? h('div', { class: 'notice warn', attrs: { role: 'alert' }, dataset: { testid: 'certificate-alert' }, text: t('ops.certAlert') }) : null,
    nodeStats(status), validatorSection(status), peerSection(status), certificateSection(status), storageSection(status.storage),
  ];
}

/** The refusal counts by code from the metrics, most frequent first, each explained. */
function refusalCounts(samples) {
  const rows = refusalCounters.flatMap(([name, where]) => samples
    .filter(sample => sample.name === name && sample.labels.code && sample.value > 0)
    .map(sample => ({ where, code: sample.labels.code, count: sample.value })));
  rows.sort((a, b) => b.count - a.count);
  return table([
    { label: t('ops.col.where'), value: row => t(`ops.where.${row.where}`) },
    { label: t('ops.col.code'), value: row => h('span', { class: 'mono', text: row.code }) },
    { label: t('ops.col.count'), value: row => number(row.count), class: 'num' },
    { label: t('ops.col.meaning'), value: row => explainCode(row.code) },
  ], rows, { caption: t('ops.refusals'), empty: t('ops.noRefusals'), testid: 'refusal-counts' });
}

/** The newest refusals the node kept (filtered by code when `code` is set). */
async function newestRefusals(code, signal) {
  const answer = await get(`/v1/node/refusals?limit=20${code ? `&code=${encodeURIComponent(code)}` : ''}`, { signal });
  return table([
    { label: t('common.time'), value: r => time(r.time_ms) },
    { label: t('ops.col.where'), value: r => wordsOr(`ops.where.${r.source}`, r.source) },
    { label: t('ops.col.code'), value: r => h('span', { class: 'mono', text: r.code }) },
    { label: t('ops.col.message'), value: r => r.message },
    { label: t('ops.col.about'), value: r => r.subject ?? '—' },
  ], answer.refusals, { caption: t('ops.newest'), empty: t('ops.noNewest'), testid: 'refusal-list' });
}

/** The explanations of the common codes, folded. */
function codeGlossary() {
  const codes = ['transaction.bad_signature', 'transaction.duplicate', 'transaction.replay', 'transaction.expired', 'transaction.wrong_chain',
    'transaction.wrong_suite', 'mempool.full', 'peer.not_member', 'peer.handshake_timeout', 'block.bad_certificate',
    'block.execution_mismatch', 'consensus.wrong_proposer', 'signer.conflict'];
  return h('details', {}, h('summary', { text: t('ops.codesTitle') }),
    h('dl', { class: 'facts' }, codes.map(code => [h('dt', { class: 'mono', text: code }), h('dd', { text: explainCode(code) })])));
}

/** The form that opens another node's console at the address its operator gave (the chain does not record it). */
function otherNodes() {
  const address = h('input', { type: 'url', name: 'address', required: true, placeholder: 'https://', autocomplete: 'url' });
  const form = h('form', { class: 'toolbar', dataset: { testid: 'other-node' } }, field(t('ops.otherAddress'), address),
    h('button', { type: 'submit', class: 'button secondary', text: t('ops.otherOpen') }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    location.assign(new URL('/console/#/operations', address.value).href);
  });
  return section(t('ops.otherNodes'), h('p', { text: t('ops.otherIntro') }), form);
}

/**
 * The live charts: keeps one sample of the metrics every 5 seconds for as long as the page is open and draws
 * height, committed transactions per second, waiting transactions and connected peers.
 */
function liveCharts() {
  const started = Date.now();
  const history = [];
  const area = h('div', { class: 'grid', dataset: { testid: 'live-charts' } });
  const chart = (label, points, format) => {
    const figure = lineChart({ points, width: 320, height: 180, label, format, empty: t('ops.chart.waiting'),
      formatX: seconds => t('ops.chart.seconds', { seconds: Math.round(seconds) }) });
    return h('div', { class: 'panel' }, h('h3', { text: label }), figure);
  };
  const whole = value => number(Math.round(value));
  return {
    area,
    /** Adds the figures of one /metrics answer and redraws. */
    add(samples) {
      history.push({
        x: (Date.now() - started) / 1000, height: metricTotal(samples, 'civic_block_height'),
        committed: metricTotal(samples, 'civic_transactions_committed_total'),
        mempool: metricTotal(samples, 'civic_mempool_transactions'), peers: metricTotal(samples, 'civic_peers_connected'),
      });
      const series = key => history.map(sample => ({ x: sample.x, y: sample[key] }));
      const rates = history.slice(1).map((sample, index) => ({
        x: sample.x, y: Math.max(0, sample.committed - history[index].committed) / (sample.x - history[index].x) }));
      replace(area,
        chart(t('ops.chart.height'), series('height'), whole),
        chart(t('ops.chart.rate'), rates, value => value.toFixed(1)),
        chart(t('ops.chart.mempool'), series('mempool'), whole),
        chart(t('ops.chart.peers'), series('peers'), whole));
    },
  };
}

/** `#/operations`. */
async function operationsPage({ signal, every }) {
  const statusArea = h('div', { dataset: { testid: 'node-status' } });
  const countsArea = h('div');
  const newestArea = h('div');
  const codeFilter = h('select', { name: 'code' }, h('option', { value: '', text: t('ops.allCodes') }));
  const charts = liveCharts();

  const showNewest = () => newestRefusals(codeFilter.value, signal).then(node => replace(newestArea, node), error => replace(newestArea, errorNotice(error)));
  codeFilter.addEventListener('change', showNewest);

  /** Reads /metrics and /v1/node once and redraws what they feed. */
  const sample = async () => {
    const [metrics, status] = await Promise.allSettled([
      getRaw('/metrics').then(response => response.text()).then(parsePrometheus), get('/v1/node', { signal })]);
    if (signal.aborted) return;
    if (status.status === 'fulfilled') replace(statusArea, statusSections(status.value));
    else replace(statusArea, errorNotice(status.reason));
    if (metrics.status === 'fulfilled') {
      charts.add(metrics.value);
      replace(countsArea, refusalCounts(metrics.value));
      const codes = [...new Set(refusalCounters.flatMap(([name]) => metrics.value.filter(s => s.name === name && s.labels.code).map(s => s.labels.code)))].sort();
      if (codeFilter.dataset.codes !== codes.join(' ')) { // rebuilt only when a new code appears, so an open list stays open
        const chosen = codeFilter.value;
        codeFilter.dataset.codes = codes.join(' ');
        replace(codeFilter, h('option', { value: '', text: t('ops.allCodes') }), codes.map(code => h('option', { value: code, text: code })));
        codeFilter.value = chosen;
      }
    } else {
      replace(countsArea, errorNotice(metrics.reason));
    }
    await showNewest();
  };
  await sample();
  every(sampleInterval, sample);

  return [
    heading(t('ops.title'), t('ops.intro')),
    statusArea,
    section(t('ops.live'), h('p', { class: 'intro', text: t('ops.liveIntro') }), charts.area),
    section(t('ops.refusals'), h('p', { class: 'intro', text: t('ops.refusalsIntro') }), countsArea,
      h('h3', { text: t('ops.newest') }), h('div', { class: 'toolbar' }, field(t('ops.filterCode'), codeFilter)), newestArea, codeGlossary()),
    otherNodes(),
  ];
}

/** Registers `#/operations`. */
export function register(app) {
  app.route('/operations', 'operations', operationsPage);
}
