// Contracts: the built-in ones and the WebAssembly ones deployed by governance; for admins, proposals to deploy,
// upgrade, freeze or unfreeze one. Every such change is a proposal the member organizations vote on.
import { addStrings, t } from '../../i18n.js';
import { get, segment } from '../../api.js';
import { badge, button, bytes, facts, field, h, hash, heading, link, notice, number, readFile, section, table } from '../../dom.js';
import { crypto } from '../../session.js';
import { describeChange } from './common.js';
import { runWrite, statusArea, takeFlash, whenAllowed } from '../../writes.js';

addStrings({
  en: {
    'ct.title': 'Contracts', 'ct.intro': 'The programs that decide what each transaction may do. Built-in contracts ship with every node; WebAssembly contracts are deployed, upgraded and frozen only by governance proposals that the member organizations approve.',
    'ct.name': 'Name', 'ct.kind': 'Kind', 'ct.native': 'built-in', 'ct.wasm': 'WebAssembly', 'ct.version': 'Version',
    'ct.codeHash': 'Code hash', 'ct.codeSize': 'Code size', 'ct.status': 'Status', 'ct.active': 'active', 'ct.frozen': 'frozen',
    'ct.deployedAt': 'Deployed at block', 'ct.upgradedAt': 'Last changed at block', 'ct.proposal': 'By proposal',
    'ct.truncated': 'The chain holds more deployed contracts than this list shows.', 'ct.readAt': 'As of block {height}.',
    'ct.deploy': 'Deploy a contract', 'ct.toDeploy': 'propose deploying a contract', 'ct.file': 'Contract code (.wasm file)',
    'ct.initArgs': 'Initial arguments (hexadecimal, may be empty)', 'ct.deadline': 'Voting deadline (hours from now)',
    'ct.deployIntro': 'The code is uploaded in several signed transactions, then a proposal to deploy it is made. The contract runs only once enough member organizations approve.',
    'ct.deploySubmit': 'Upload and propose', 'ct.noFile': 'Choose a .wasm file.',
    'ct.upgrade': 'Upgrade', 'ct.toUpgrade': 'propose an upgrade', 'ct.upgradeIntro': 'Uploads the new code, then proposes replacing the contract’s code with it; its data stays. It takes effect once the organizations approve.',
    'ct.upgradeSubmit': 'Upload and propose the upgrade',
    'ct.freeze': 'Propose freezing', 'ct.unfreeze': 'Propose unfreezing', 'ct.toFreeze': 'propose freezing or unfreezing it',
    'ct.freezeTitle': 'Freeze or unfreeze', 'ct.freezeIntro': 'A frozen contract refuses every call until it is unfrozen. Both need a proposal the organizations approve.',
    'ct.builtIn': 'This contract is built into every node. It changes only with a new release of the node software.',
    'ct.unknown': 'There is no contract named “{name}”.', 'ct.proposals': 'Proposals about this contract', 'ct.back': 'All contracts',
    'ct.change': 'Change', 'ct.noProposals': 'No proposal concerns this contract.',
  },
  zh: {
    'ct.title': '合约', 'ct.intro': '合约决定每笔交易能做什么。内置合约随节点软件提供；WebAssembly 合约的部署、升级和冻结，都须经成员单位表决通过的治理提案。',
    'ct.name': '名称', 'ct.kind': '类型', 'ct.native': '内置', 'ct.wasm': 'WebAssembly', 'ct.version': '版本',
    'ct.codeHash': '代码哈希', 'ct.codeSize': '代码大小', 'ct.status': '状态', 'ct.active': '运行中', 'ct.frozen': '已冻结',
    'ct.deployedAt': '部署于区块', 'ct.upgradedAt': '最近变更于区块', 'ct.proposal': '依据提案',
    'ct.truncated': '链上已部署的合约多于本列表所列。', 'ct.readAt': '数据截至第 {height} 号区块。',
    'ct.deploy': '部署合约', 'ct.toDeploy': '发起合约部署提案', 'ct.file': '合约代码（.wasm 文件）',
    'ct.initArgs': '初始化参数（十六进制，可留空）', 'ct.deadline': '表决期限（自现在起的小时数）',
    'ct.deployIntro': '代码将分为多笔签名交易上传，随后发起部署提案。须经足够多成员单位同意后，合约才会运行。',
    'ct.deploySubmit': '上传并发起提案', 'ct.noFile': '请选择 .wasm 文件。',
    'ct.upgrade': '升级', 'ct.toUpgrade': '发起升级提案', 'ct.upgradeIntro': '上传新代码，并提议以之替换合约代码，合约数据保留。经成员单位同意后生效。',
    'ct.upgradeSubmit': '上传并发起升级提案',
    'ct.freeze': '发起冻结提案', 'ct.unfreeze': '发起解冻提案', 'ct.toFreeze': '发起冻结或解冻提案',
    'ct.freezeTitle': '冻结或解冻', 'ct.freezeIntro': '合约冻结后拒绝一切调用，直至解冻。冻结和解冻都须经成员单位表决同意。',
    'ct.builtIn': '这是所有节点内置的合约，只随节点软件的新版本变更。',
    'ct.unknown': '没有名为“{name}”的合约。', 'ct.proposals': '与本合约有关的提案', 'ct.back': '全部合约',
    'ct.change': '变更内容', 'ct.noProposals': '尚无与本合约有关的提案。',
  },
});

/** A contract's status as a badge. */
function statusBadge(status) {
  return status === 'frozen' ? badge(t('ct.frozen'), 'warn') : badge(t('ct.active'), 'ok');
}

/** The deadline field shared by the deploy and upgrade forms. */
function deadlineField() {
  return field(t('ct.deadline'), h('input', { type: 'number', name: 'deadline_hours', min: '1', max: '720', step: '1', value: '72', required: true }));
}

/**
 * A form that uploads a .wasm file and proposes `action` with the arguments `extra(form)` adds to
 * `{wasm, deadline_hours}`; `fields` are the form's own fields.
 */
function codeForm(app, { testid, intro, fields, submitLabel, action, extra }) {
  const file = h('input', { type: 'file', name: 'wasm', accept: '.wasm,application/wasm', required: true });
  const status = statusArea(testid);
  const submit = button(submitLabel, null, { type: 'submit', testid: `${testid}-submit` });
  const form = h('form', { class: 'form', dataset: { testid } }, h('p', { text: intro }),
    field(t('ct.file'), file), fields, deadlineField(), h('div', {}, submit), status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (!file.files[0]) { status.replaceChildren(notice(t('ct.noFile'), 'bad')); return; }
    const { toBase64 } = await crypto();
    const wasm = toBase64(await readFile(file.files[0]));
    runWrite({ app, status, controls: [submit], action, args: { ...extra(form), wasm, deadline_hours: Number(form.elements.deadline_hours.value) } });
  });
  return form;
}

/** `#/contracts`. */
async function contractsPage(app, { signal }) {
  const list = await get('/v1/contracts', { signal });
  return [
    heading(t('ct.title'), t('ct.intro')),
    takeFlash(),
    table([
      { label: t('ct.name'), value: c => link(`/contracts/${encodeURIComponent(c.name)}`, c.name, { dataset: { testid: 'contract-link' } }) },
      { label: t('ct.kind'), value: c => t(c.kind === 'wasm' ? 'ct.wasm' : 'ct.native') },
      { label: t('ct.version'), value: c => c.version === undefined ? '—' : number(c.version), class: 'num' },
      { label: t('ct.codeHash'), value: c => hash(c.code_hash) },
      { label: t('ct.status'), value: c => statusBadge(c.status) },
      { label: t('ct.deployedAt'), value: c => c.deployed_at === undefined ? '—' : link(`/blocks/${c.deployed_at}`, number(c.deployed_at)), class: 'num' },
    ], list.contracts, { caption: t('ct.title'), testid: 'contract-table' }),
    list.truncated ? notice(t('ct.truncated'), 'warn') : null,
    h('p', { class: 'small', text: t('ct.readAt', { height: list.height }) }),
    section(t('ct.deploy'), whenAllowed('contract.deploy', t('ct.toDeploy'), () => codeForm(app, {
      testid: 'contract-deploy-form', intro: t('ct.deployIntro'), submitLabel: t('ct.deploySubmit'), action: 'contract.deploy',
      fields: [field(t('ct.name'), h('input', { name: 'name', required: true, autocomplete: 'off' })),
        field(t('ct.initArgs'), h('input', { name: 'init_arguments_hex', class: 'mono', autocomplete: 'off', pattern: '([0-9a-fA-F]{2})*' }))],
      extra: form => ({ name: form.elements.name.value.trim(), init_arguments_hex: form.elements.init_arguments_hex.value.trim() }),
    }))),
  ];
}

/** The proposals whose change names the contract `name`. */
function contractProposals(proposals, name) {
  return table([
    { label: t('gov.col.id'), value: p => link(`/governance/proposals/${p.id}`, `#${p.id}`) },
    { label: t('ct.change'), value: p => describeChange(p.change, p.fields) },
    { label: t('gov.col.status'), value: p => t(`gov.status.${p.status}`) },
  ], proposals.filter(p => p.fields.contract === name), { caption: t('ct.proposals'), empty: t('ct.noProposals') });
}

/** The admin's proposals about a deployed contract: freeze or unfreeze, and upgrade. */
function contractActions(app, contract) {
  const freeze = whenAllowed('governance.propose', t('ct.toFreeze'), () => {
    const status = statusArea('contract-freeze');
    const frozen = !contract.frozen;
    const propose = button(t(frozen ? 'ct.freeze' : 'ct.unfreeze'), null, { kind: frozen ? 'danger' : 'primary', testid: 'contract-freeze' });
    propose.addEventListener('click', () => runWrite({ app, status, controls: [propose], action: 'governance.propose',
      args: { change: { kind: 'set_contract_frozen', name: contract.name, frozen }, deadline_hours: 72 } }));
    return [h('p', { text: t('ct.freezeIntro') }), h('div', { class: 'actions' }, propose), status];
  });
  const upgrade = whenAllowed('contract.upgrade', t('ct.toUpgrade'), () => codeForm(app, {
    testid: 'contract-upgrade-form', intro: t('ct.upgradeIntro'), submitLabel: t('ct.upgradeSubmit'), action: 'contract.upgrade',
    fields: [], extra: () => ({ name: contract.name }),
  }));
  return [section(t('ct.freezeTitle'), freeze), section(t('ct.upgrade'), upgrade)];
}

/** `#/contracts/:name`: a deployed contract's record, or a built-in contract. */
async function contractPage(app, { params, signal }) {
  const name = params.name;
  const [record, list, proposals] = await Promise.all([
    get(`/v1/contracts/${segment(name)}`, { signal, accept: [404] }), get('/v1/contracts', { signal }),
    get('/v1/governance/proposals', { signal })]);
  const back = h('p', {}, link('/contracts', t('ct.back')));
  if (record?.error) {
    const native = list.contracts.find(c => c.name === name && c.kind === 'native');
    if (!native) return [heading(t('ct.title')), h('p', { class: 'empty', text: t('ct.unknown', { name }) }), back];
    return [heading(name, t('ct.native')), h('div', { class: 'card', dataset: { testid: 'contract' } },
      facts([[t('ct.kind'), t('ct.native')], [t('ct.status'), statusBadge(native.status)]]), h('p', { text: t('ct.builtIn') })), back];
  }
  return [
    heading(record.name, `${t('ct.wasm')} · ${t('ct.version')} ${record.version}`),
    takeFlash(),
    h('div', { class: 'card', dataset: { testid: 'contract' } }, facts([
      [t('ct.status'), statusBadge(record.frozen ? 'frozen' : 'active')],
      [t('ct.version'), number(record.version)],
      [t('ct.codeHash'), h('span', { class: 'mono', text: record.code_hash })],
      [t('ct.codeSize'), record.code_bytes ? bytes(record.code_bytes) : undefined],
      [t('ct.deployedAt'), link(`/blocks/${record.deployed_at}`, number(record.deployed_at))],
      [t('ct.upgradedAt'), link(`/blocks/${record.upgraded_at}`, number(record.upgraded_at))],
      [t('ct.proposal'), record.proposal_id ? link(`/governance/proposals/${record.proposal_id}`, `#${record.proposal_id}`) : undefined],
    ])),
    section(t('ct.proposals'), contractProposals(proposals.proposals, record.name)),
    contractActions(app, record),
    back,
  ];
}

/** Registers `#/contracts` and `#/contracts/:name`. */
export function register(app) {
  app.route('/contracts', 'contracts', context => contractsPage(app, context));
  app.route('/contracts/:name', 'contract', context => contractPage(app, context));
}
