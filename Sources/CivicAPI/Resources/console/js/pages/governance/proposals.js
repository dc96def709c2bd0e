// Governance (Docs/0010): the member organizations, the voting rules, the validator sets, the proposals with their
// votes, one proposal with Approve / Reject / Close for admins, and the form that proposes a change.
import { addStrings, t } from '../../i18n.js';
import { get, segment } from '../../api.js';
import { ago, badge, button, facts, field, formValues, h, hash, heading, link, number, section, table, time } from '../../dom.js';
import { who } from '../../session.js';
import { describeChange, describePolicy, resourceName } from './common.js';
import { runWrite, statusArea, takeFlash, whenAllowed } from '../../writes.js';

addStrings({
  en: {
    'gov.title': 'Governance',
    'gov.intro': 'The chain’s rules — which organizations are members, which nodes validate, the chain’s settings — change only when enough member organizations approve a proposal. Each organization votes once, through one of its admins.',
    'gov.proposals': 'Proposals', 'gov.organizations': 'Member organizations', 'gov.policies': 'Voting rules',
    'gov.validators': 'Validator sets over time', 'gov.propose': 'Propose a change', 'gov.toPropose': 'propose a change',
    'gov.noProposals': 'No proposal has been made yet.',
    'gov.col.id': 'No.', 'gov.col.change': 'Change', 'gov.col.status': 'Status', 'gov.col.proposedBy': 'Proposed by',
    'gov.col.deadline': 'Deadline', 'gov.col.votes': 'Votes', 'gov.col.organization': 'Organization', 'gov.col.admins': 'Admins',
    'gov.col.ca': 'CA certificates', 'gov.col.added': 'Member since block', 'gov.col.resource': 'What it governs',
    'gov.col.rule': 'Who must approve', 'gov.col.policy': 'Rule as written', 'gov.col.applies': 'From block',
    'gov.col.set': 'Validators (voting power)', 'gov.col.entry': 'Entry', 'gov.col.proposal': 'Proposal',
    'gov.genesis': 'set at the start', 'gov.status.open': 'open — voting', 'gov.status.executed': 'approved and done',
    'gov.status.rejected': 'rejected', 'gov.status.expired': 'expired', 'gov.applies.current': 'in force',
    'gov.applies.pending': 'coming', 'gov.applies.past': 'replaced',
    'gov.vote.approve': 'approves', 'gov.vote.reject': 'rejects', 'gov.vote.none': 'not voted yet',
    'gov.waiting': '{count} not voted yet',
    'proposal.title': 'Proposal #{id}', 'proposal.status': 'Status', 'proposal.resource': 'Concerns',
    'proposal.rule': 'Rule', 'proposal.tally': 'Tally', 'proposal.tallyText': '{approvals} of the {required} approvals needed ({organizations} member organizations); {rejections} rejected.',
    'proposal.proposer': 'Proposed by', 'proposal.proposedAt': 'Proposed', 'proposal.deadline': 'Deadline', 'proposal.closedAt': 'Closed at block',
    'proposal.votes': 'Votes by organization', 'proposal.voter': 'Voter', 'proposal.vote': 'Vote', 'proposal.block': 'Block',
    'proposal.transaction': 'Transaction', 'proposal.details': 'The change as recorded', 'proposal.field': 'Field', 'proposal.value': 'Value',
    'proposal.yourVote': 'Your vote, for {organization}', 'proposal.approve': 'Approve', 'proposal.reject': 'Reject',
    'proposal.toVote': 'vote on this proposal', 'proposal.toClose': 'close this proposal', 'proposal.alreadyVoted': '{organization} has already voted on this proposal.',
    'proposal.closed': 'Voting has ended: this proposal is {status}.',
    'proposal.close': 'Record that the deadline passed', 'proposal.closeIntro': 'The deadline passed before enough organizations approved. Anyone may record this, which closes the proposal for good.',
    'proposal.voteIntro': 'The vote that reaches the rule carries out the change at once.',
    'propose.title': 'Propose a change', 'propose.intro': 'The proposal is recorded under your name and your organization. Nothing changes until enough member organizations approve it before the deadline.',
    'propose.kind': 'What to change', 'propose.deadline': 'Voting deadline (hours from now)', 'propose.deadlineHint': '1 to 720 hours (30 days).',
    'propose.submit': 'Sign and propose', 'propose.back': 'Back to governance',
    'kind.set_contract_frozen': 'Freeze or unfreeze a contract', 'kind.set_block_interval': 'Block interval',
    'kind.set_block_transactions_max': 'Most transactions in a block', 'kind.set_trusted_issuers': 'Recognize the issuers of a certificate type',
    'kind.remove_validator': 'Remove a validator node', 'kind.set_validator_power': 'Change a validator node’s voting power',
    'kind.remove_organization': 'Remove a member organization',
    'propose.contract': 'Contract name', 'propose.frozen': 'Freeze it (refuse every call)', 'propose.unfrozen': 'Unfreeze it',
    'propose.frozenLabel': 'Freeze or unfreeze', 'propose.milliseconds': 'Milliseconds between blocks', 'propose.count': 'Transactions per block at most',
    'propose.type': 'Certificate type', 'propose.issuers': 'Also trust certificates of this type issued by',
    'propose.issuersHint': 'Leave all unticked to trust only the organization that registered the type.',
    'propose.validator': 'Validator node', 'propose.power': 'New voting power', 'propose.organization': 'Organization',
  },
  zh: {
    'gov.title': '链上治理',
    'gov.intro': '链的规则——哪些单位是成员、哪些节点参与共识、链的参数——只有在足够多的成员单位同意某项提案后才会改变。每个成员单位通过其管理员投一票。',
    'gov.proposals': '提案', 'gov.organizations': '成员单位', 'gov.policies': '表决规则',
    'gov.validators': '验证节点名单沿革', 'gov.propose': '发起提案', 'gov.toPropose': '发起提案',
    'gov.noProposals': '尚无提案。',
    'gov.col.id': '编号', 'gov.col.change': '变更内容', 'gov.col.status': '状态', 'gov.col.proposedBy': '提出单位',
    'gov.col.deadline': '截止时间', 'gov.col.votes': '投票', 'gov.col.organization': '单位', 'gov.col.admins': '管理员',
    'gov.col.ca': 'CA 证书', 'gov.col.added': '加入时区块', 'gov.col.resource': '表决事项',
    'gov.col.rule': '须由谁同意', 'gov.col.policy': '规则原文', 'gov.col.applies': '起始区块',
    'gov.col.set': '验证节点（投票权重）', 'gov.col.entry': '序号', 'gov.col.proposal': '提案',
    'gov.genesis': '创世设定', 'gov.status.open': '表决中', 'gov.status.executed': '已通过并执行',
    'gov.status.rejected': '未通过', 'gov.status.expired': '已过期', 'gov.applies.current': '现行',
    'gov.applies.pending': '待生效', 'gov.applies.past': '已被替换',
    'gov.vote.approve': '同意', 'gov.vote.reject': '反对', 'gov.vote.none': '尚未投票',
    'gov.waiting': '{count} 个单位尚未投票',
    'proposal.title': '第 {id} 号提案', 'proposal.status': '状态', 'proposal.resource': '事项',
    'proposal.rule': '表决规则', 'proposal.tally': '计票', 'proposal.tallyText': '已有 {approvals} 个单位同意，需 {required} 个（共 {organizations} 个成员单位）；{rejections} 个反对。',
    'proposal.proposer': '提出人', 'proposal.proposedAt': '提出时间', 'proposal.deadline': '截止时间', 'proposal.closedAt': '结束于区块',
    'proposal.votes': '各单位投票情况', 'proposal.voter': '投票人', 'proposal.vote': '意见', 'proposal.block': '区块',
    'proposal.transaction': '交易', 'proposal.details': '链上记录的变更', 'proposal.field': '字段', 'proposal.value': '值',
    'proposal.yourVote': '以 {organization} 名义投票', 'proposal.approve': '同意', 'proposal.reject': '反对',
    'proposal.toVote': '对本提案投票', 'proposal.toClose': '关闭本提案', 'proposal.alreadyVoted': '{organization} 已对本提案投过票。',
    'proposal.closed': '表决已结束：本提案{status}。',
    'proposal.close': '登记已过截止时间', 'proposal.closeIntro': '截止时间已过，同意的单位仍不足。任何人都可以登记这一结果，提案随即关闭。',
    'proposal.voteIntro': '使同意票达到规则要求的那一票会立即执行变更。',
    'propose.title': '发起提案', 'propose.intro': '提案将以您本人和所在单位的名义记录。在截止时间前获得足够多成员单位同意之前，不会有任何改变。',
    'propose.kind': '变更事项', 'propose.deadline': '表决期限（自现在起的小时数）', 'propose.deadlineHint': '1 至 720 小时（30 天）。',
    'propose.submit': '签名并发起', 'propose.back': '返回链上治理',
    'kind.set_contract_frozen': '冻结或解冻合约', 'kind.set_block_interval': '出块间隔',
    'kind.set_block_transactions_max': '每个区块的交易上限', 'kind.set_trusted_issuers': '互认某类证照的签发单位',
    'kind.remove_validator': '移除验证节点', 'kind.set_validator_power': '调整验证节点投票权重',
    'kind.remove_organization': '移除成员单位',
    'propose.contract': '合约名称', 'propose.frozen': '冻结（拒绝一切调用）', 'propose.unfrozen': '解冻',
    'propose.frozenLabel': '冻结或解冻', 'propose.milliseconds': '出块间隔（毫秒）', 'propose.count': '每个区块最多交易笔数',
    'propose.type': '证照类型', 'propose.issuers': '同时认可以下单位签发的该类证照',
    'propose.issuersHint': '都不勾选，则只认可登记该类型的单位。',
    'propose.validator': '验证节点', 'propose.power': '新的投票权重', 'propose.organization': '成员单位',
  },
});

const statusKinds = { open: 'info', executed: 'ok', rejected: 'bad', expired: 'warn' };

/** A proposal's status as a badge. */
function statusBadge(status) {
  const element = badge(t(`gov.status.${status}`), statusKinds[status] ?? 'info');
  element.dataset.status = status;
  return element;
}

/** The counted votes of a proposal: one per current member organization (votes of removed ones do not count). */
function tally(proposal, organizations) {
  const names = new Set(organizations.map(organization => organization.name));
  const counted = proposal.votes.filter(vote => names.has(vote.organization));
  return { approvals: counted.filter(vote => vote.approve).length, rejections: counted.filter(vote => !vote.approve).length };
}

/** The votes of a proposal in a table cell: each organization's vote, and how many have not voted yet. */
function voteSummary(proposal, organizations) {
  const voted = new Set(proposal.votes.map(vote => vote.organization));
  const waiting = organizations.filter(organization => !voted.has(organization.name)).length;
  return [
    proposal.votes.map(vote => h('div', {}, badge(`${vote.organization} ${t(vote.approve ? 'gov.vote.approve' : 'gov.vote.reject')}`, vote.approve ? 'ok' : 'bad'))),
    waiting > 0 && proposal.status === 'open' ? h('div', { class: 'small', text: t('gov.waiting', { count: waiting }) }) : null];
}

/** The table of proposals. */
function proposalTable(proposals, organizations) {
  return table([
    { label: t('gov.col.id'), value: p => link(`/governance/proposals/${p.id}`, `#${p.id}`, { dataset: { testid: 'proposal-link' } }) },
    { label: t('gov.col.change'), value: p => describeChange(p.change, p.fields) },
    { label: t('gov.col.status'), value: p => statusBadge(p.status) },
    { label: t('gov.col.proposedBy'), value: p => [p.organization, h('br'), h('span', { class: 'small' }, time(p.proposed_time_ms))] },
    { label: t('gov.col.deadline'), value: p => [time(p.deadline_ms), h('br'), h('span', { class: 'small', text: ago(p.deadline_ms) })] },
    { label: t('gov.col.votes'), value: p => voteSummary(p, organizations) },
  ], proposals, { caption: t('gov.proposals'), empty: t('gov.noProposals'), testid: 'proposal-table' });
}

/** The member organizations. */
function organizationTable(organizations) {
  return table([
    { label: t('gov.col.organization'), value: o => link(`/identities?organization=${encodeURIComponent(o.name)}`, o.name) },
    { label: t('gov.col.admins'), value: o => o.admins.map(address => h('div', {}, hash(address, `/identities/${address}`))) },
    { label: t('gov.col.ca'), value: o => number(o.ca_certificates.length), class: 'num' },
    { label: t('gov.col.added'), value: o => link(`/blocks/${o.added_at}`, number(o.added_at)), class: 'num' },
  ], organizations, { caption: t('gov.organizations'), testid: 'organization-table' });
}

/** The voting rule of each governed resource, in words. */
function policyTable(policies, organizations) {
  return table([
    { label: t('gov.col.resource'), value: p => resourceName(p.resource) },
    { label: t('gov.col.rule'), value: p => describePolicy(p.policy, organizations.length).words },
    { label: t('gov.col.policy'), value: p => h('span', { class: 'mono', text: p.policy }) },
  ], policies, { caption: t('gov.policies'), testid: 'policy-table' });
}

/** The validator-set entries, newest first. */
function validatorSetTable(entries) {
  const kinds = { current: 'ok', pending: 'info', past: 'warn' };
  return table([
    { label: t('gov.col.entry'), value: e => `#${e.index}`, class: 'num' },
    { label: t('gov.col.applies'), value: e => link(`/blocks/${e.applies_from}`, number(e.applies_from)), class: 'num' },
    { label: t('gov.col.status'), value: e => badge(t(`gov.applies.${e.applies}`), kinds[e.applies] ?? 'info') },
    { label: t('gov.col.set'), value: e => e.validators.map(v => h('div', {}, `${v.name} · ${v.organization} (${v.power})`)) },
    { label: t('gov.col.proposal'), value: e => e.proposal_id ? link(`/governance/proposals/${e.proposal_id}`, `#${e.proposal_id}`) : t('gov.genesis') },
  ], entries, { caption: t('gov.validators'), testid: 'validator-set-table' });
}

/** Reads what every governance page needs: organizations and policies. */
async function membership(signal) {
  const [organizations, policies] = await Promise.all([
    get('/v1/governance/organizations', { signal }), get('/v1/governance/policies', { signal })]);
  return { organizations: organizations.organizations, policies: policies.policies };
}

/** `#/governance`. */
async function governancePage({ signal }) {
  const [{ organizations, policies }, proposals, validators] = await Promise.all([
    membership(signal), get('/v1/governance/proposals', { signal }), get('/v1/governance/validators', { signal })]);
  return [
    heading(t('gov.title'), t('gov.intro')),
    takeFlash(),
    section(t('gov.proposals'),
      whenAllowed('governance.propose', t('gov.toPropose'), () => h('p', {},
        link('/governance/propose', t('gov.propose'), { class: 'button', dataset: { testid: 'propose-link' } }))),
      proposalTable(proposals.proposals, organizations)),
    section(t('gov.organizations'), organizationTable(organizations)),
    section(t('gov.policies'), policyTable(policies, organizations)),
    section(t('gov.validators'), validatorSetTable(validators.entries)),
  ];
}

/** The votes of a proposal, one row per member organization (voted or not), then votes of former members. */
function voteTable(proposal, organizations) {
  const rows = organizations.map(organization => ({ organization: organization.name, vote: proposal.votes.find(v => v.organization === organization.name) }));
  for (const vote of proposal.votes) if (!rows.some(row => row.organization === vote.organization)) rows.push({ organization: vote.organization, vote });
  return table([
    { label: t('gov.col.organization'), value: r => r.organization },
    { label: t('proposal.vote'), value: r => r.vote ? badge(t(r.vote.approve ? 'gov.vote.approve' : 'gov.vote.reject'), r.vote.approve ? 'ok' : 'bad') : badge(t('gov.vote.none'), 'info') },
    { label: t('proposal.voter'), value: r => r.vote ? hash(r.vote.voter, `/identities/${r.vote.voter}`) : '—' },
    { label: t('common.time'), value: r => r.vote ? time(r.vote.time_ms) : '—' },
    { label: t('proposal.block'), value: r => r.vote ? link(`/blocks/${r.vote.height}`, number(r.vote.height)) : '—', class: 'num' },
    { label: t('proposal.transaction'), value: r => r.vote ? hash(r.vote.transaction_hash, `/tx/${r.vote.transaction_hash}`) : '—' },
  ], rows, { caption: t('proposal.votes'), testid: 'vote-table' });
}

/** What the signed-in admin may do with `proposal`: vote while open, close once past the deadline. */
function proposalActions(app, proposal) {
  const person = who();
  if (proposal.status === 'expired' && proposal.closed_at === undefined) {
    return whenAllowed('governance.close', t('proposal.toClose'), () => {
      const status = statusArea('close');
      const close = h('button', { type: 'button', class: 'button secondary', text: t('proposal.close'), dataset: { testid: 'proposal-close' } });
      close.addEventListener('click', () => runWrite({ app, status, controls: [close], action: 'governance.close', args: { proposal: proposal.id } }));
      return [h('p', { text: t('proposal.closeIntro') }), h('div', { class: 'actions' }, close), status];
    });
  }
  if (proposal.status !== 'open') return h('p', { text: t('proposal.closed', { status: t(`gov.status.${proposal.status}`) }) });
  return whenAllowed('governance.vote', t('proposal.toVote'), () => {
    if (proposal.votes.some(vote => vote.organization === person.organization)) {
      return h('p', { dataset: { testid: 'already-voted' }, text: t('proposal.alreadyVoted', person) });
    }
    const status = statusArea('vote');
    const approve = button(t('proposal.approve'), null, { testid: 'vote-approve' });
    const reject = button(t('proposal.reject'), null, { kind: 'danger', testid: 'vote-reject' });
    const controls = [approve, reject];
    approve.addEventListener('click', () => runWrite({ app, status, controls, action: 'governance.vote', args: { proposal: proposal.id, approve: true } }));
    reject.addEventListener('click', () => runWrite({ app, status, controls, action: 'governance.vote', args: { proposal: proposal.id, approve: false } }));
    return [h('h3', { text: t('proposal.yourVote', person) }), h('p', { text: t('proposal.voteIntro') }),
      h('div', { class: 'actions' }, approve, reject), status];
  });
}

/** `#/governance/proposals/:id`. */
async function proposalPage(app, { params, signal }) {
  const [{ organizations, policies }, proposal] = await Promise.all([
    membership(signal), get(`/v1/governance/proposals/${segment(params.id)}`, { signal })]);
  const policy = policies.find(p => p.resource === proposal.resource);
  const rule = describePolicy(policy?.policy, organizations.length);
  const counts = tally(proposal, organizations);
  return [
    heading(t('proposal.title', { id: proposal.id }), describeChange(proposal.change, proposal.fields)),
    takeFlash(),
    h('div', { class: 'card', dataset: { testid: 'proposal' } },
      facts([
        [t('proposal.status'), statusBadge(proposal.status)],
        [t('proposal.resource'), resourceName(proposal.resource)],
        [t('proposal.rule'), rule.words],
        [t('proposal.tally'), h('span', { dataset: { testid: 'proposal-tally' }, text: t('proposal.tallyText', { ...counts, required: rule.required ?? '—', organizations: organizations.length }) })],
        [t('proposal.proposer'), [proposal.organization, ' · ', hash(proposal.proposer, `/identities/${proposal.proposer}`)]],
        [t('proposal.proposedAt'), [time(proposal.proposed_time_ms), ' · ', link(`/blocks/${proposal.proposed_at}`, `#${proposal.proposed_at}`)]],
        [t('proposal.deadline'), [time(proposal.deadline_ms), ` (${ago(proposal.deadline_ms)})`]],
        [t('proposal.closedAt'), proposal.closed_at === undefined ? undefined : link(`/blocks/${proposal.closed_at}`, number(proposal.closed_at))],
      ]),
      proposalActions(app, proposal)),
    section(t('proposal.votes'), voteTable(proposal, organizations)),
    section(t('proposal.details'), table([
      { label: t('proposal.field'), value: ([name]) => h('span', { class: 'mono', text: name }) },
      { label: t('proposal.value'), value: ([, value]) => h('span', { class: 'mono', text: value }) },
    ], [['change', proposal.change], ...Object.entries(proposal.fields)], { caption: t('proposal.details') })),
    h('p', {}, link('/governance', t('propose.back'))),
  ];
}

/** A select of `options` ([value, label] pairs). */
function select(name, options) {
  return h('select', { name }, options.map(([value, label]) => h('option', { value, text: label })));
}

/** A number input. */
function numberInput(name, min, value) {
  return h('input', { type: 'number', name, min: String(min), step: '1', required: true, value: value ?? '' });
}

/**
 * The fields of each change kind the console prepares (openapi.yaml, /v1/console/prepare), and how the form's
 * values become the `change` argument of governance.propose.
 */
function changeKinds({ organizations, validators, types }) {
  const organizationOptions = organizations.map(o => [o.name, o.name]);
  const validatorOptions = validators.map(v => [v.name, `${v.name} · ${v.organization} (${v.power})`]);
  return {
    set_contract_frozen: {
      fields: () => [field(t('propose.contract'), h('input', { name: 'name', required: true, autocomplete: 'off' })),
        field(t('propose.frozenLabel'), select('frozen', [['true', t('propose.frozen')], ['false', t('propose.unfrozen')]]))],
      change: v => ({ name: v.name, frozen: v.frozen === 'true' }),
    },
    set_block_interval: {
      fields: () => [field(t('propose.milliseconds'), numberInput('milliseconds', 1))],
      change: v => ({ milliseconds: Number(v.milliseconds) }),
    },
    set_block_transactions_max: {
      fields: () => [field(t('propose.count'), numberInput('count', 1))],
      change: v => ({ count: Number(v.count) }),
    },
    set_trusted_issuers: {
      fields: () => [field(t('propose.type'), types.length ? select('certificate_type', types.map(type => [type.id, `${type.name} (${type.id})`]))
        : h('input', { name: 'certificate_type', required: true, autocomplete: 'off' })),
      h('fieldset', {}, h('legend', { text: t('propose.issuers') }),
        h('div', { class: 'checks' }, organizations.map(o => h('label', {}, h('input', { type: 'checkbox', name: 'organizations', value: o.name }), o.name))),
        h('small', { text: t('propose.issuersHint') }))],
      change: v => ({ certificate_type: v.certificate_type, organizations: v.organizations }),
    },
    remove_validator: {
      fields: () => [field(t('propose.validator'), select('name', validatorOptions))],
      change: v => ({ name: v.name }),
    },
    set_validator_power: {
      fields: () => [field(t('propose.validator'), select('name', validatorOptions)), field(t('propose.power'), numberInput('power', 1))],
      change: v => ({ name: v.name, power: Number(v.power) }),
    },
    remove_organization: {
      fields: () => [field(t('propose.organization'), select('name', organizationOptions))],
      change: v => ({ name: v.name }),
    },
  };
}

/** `#/governance/propose`: the form of a new proposal, for admins. `query.kind` and `query.name` preselect. */
async function proposePage(app, { query, signal }) {
  const [{ organizations }, validators, types] = await Promise.all([
    membership(signal), get('/v1/governance/validators', { signal }), get('/v1/certificates/types', { signal }).catch(() => ({ types: [] }))]);
  const current = validators.entries.find(entry => entry.applies === 'current') ?? validators.entries[0];
  const kinds = changeKinds({ organizations, validators: current?.validators ?? [], types: types.types });
  const build = () => {
    const kind = select('kind', Object.keys(kinds).map(name => [name, t(`kind.${name}`)]));
    if (kinds[query.kind]) kind.value = query.kind;
    const specific = h('div', { class: 'form' });
    const showKind = () => {
      specific.replaceChildren(...kinds[kind.value].fields());
      if (query.name && specific.querySelector('[name=name]')) specific.querySelector('[name=name]').value = query.name;
    };
    kind.addEventListener('change', showKind);
    showKind();
    const deadline = numberInput('deadline_hours', 1, '72');
    deadline.max = '720';
    const status = statusArea('propose');
    const submit = button(t('propose.submit'), null, { type: 'submit', testid: 'propose-submit' });
    const form = h('form', { class: 'card form', dataset: { testid: 'propose-form' } },
      field(t('propose.kind'), kind), specific, field(t('propose.deadline'), deadline, t('propose.deadlineHint')), h('div', {}, submit), status);
    form.addEventListener('submit', event => {
      event.preventDefault();
      const values = formValues(form);
      const change = { kind: values.kind, ...kinds[values.kind].change(values) };
      runWrite({ app, status, controls: [submit], action: 'governance.propose', args: { change, deadline_hours: Number(values.deadline_hours) } });
    });
    return form;
  };
  return [heading(t('propose.title'), t('propose.intro')), takeFlash(),
    whenAllowed('governance.propose', t('gov.toPropose'), build), h('p', {}, link('/governance', t('propose.back')))];
}

/** Registers `#/governance`, `#/governance/propose` and `#/governance/proposals/:id`. */
export function register(app) {
  app.route('/governance', 'governance', governancePage);
  app.route('/governance/propose', 'governance-propose', context => proposePage(app, context));
  app.route('/governance/proposals/:id', 'proposal', context => proposalPage(app, context));
}
