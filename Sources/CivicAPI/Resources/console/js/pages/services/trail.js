// "Who accessed" (Docs/0016, usage trail): three questions — who used a resource, what a department used (or
// provided), and every use naming one person — answered from the chain's record of accesses and certificate checks.
import { get } from '../../api.js';
import { button, field, h, hash, heading, link, notice, number, section, table, time, uid } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import {
  USE_EVENTS, options, organizationList, purposeCell, readTrail, subjectInputs, trailNotes, usedLink, windowSelect, windowStart,
} from './common.js';
import { trailTable } from './trail-table.js';

addStrings({
  en: {
    'trail.title': 'Who accessed',
    'trail.intro': 'Every access to shared data is recorded on the chain by the department that served it, and nobody can alter or delete the record afterwards. Ask one of three questions:',
    'trail.tabs': 'Questions',
    'trail.by.resource': 'By resource', 'trail.by.department': 'By department', 'trail.by.person': 'By person',
    'trail.resource': 'Resource (catalog id or certificate number)',
    'trail.department': 'Department', 'trail.role': 'The department as', 'trail.role.consumer': 'user of others\' data', 'trail.role.provider': 'provider of its own data',
    'trail.proofs': 'Include a proof for every row (checkable offline with the genesis file)',
    'trail.ask': 'Show', 'trail.computing': 'Computing the fingerprint in this page…',
    'trail.answerResource': 'Who used "{key}"', 'trail.answerDepartment': 'What {key} used', 'trail.answerProvider': 'Who used the data of {key}',
    'trail.answerPerson': 'Every use naming this person',
    'trail.empty': 'No use recorded in this period.',
    'trail.usage': 'Resources it used, and why (all time)', 'trail.col.uses': 'Uses', 'trail.col.refusals': 'Refused', 'trail.col.first': 'First', 'trail.col.last': 'Last',
    'trail.proofNote': 'Each row marked "proof received" came with the proof of the transaction that recorded it: save it and check it with `civic verify <file> --genesis genesis.json`.',
  },
  zh: {
    'trail.title': '谁用了数据',
    'trail.intro': '共享数据的每一次调用，都由提供数据的部门记录在区块链上，事后任何人都无法修改或删除。可以从以下三个角度查询：',
    'trail.tabs': '查询方式',
    'trail.by.resource': '按资源', 'trail.by.department': '按部门', 'trail.by.person': '按个人',
    'trail.resource': '资源（目录编号或证照编号）',
    'trail.department': '部门', 'trail.role': '部门角色', 'trail.role.consumer': '使用其他部门的数据', 'trail.role.provider': '提供本部门的数据',
    'trail.proofs': '每条记录附带证明（可凭创世文件离线核验）',
    'trail.ask': '查询', 'trail.computing': '正在本页面内计算指纹……',
    'trail.answerResource': '谁使用了“{key}”', 'trail.answerDepartment': '{key} 使用了哪些数据', 'trail.answerProvider': '谁使用了 {key} 的数据',
    'trail.answerPerson': '涉及此人的全部调用',
    'trail.empty': '这段时间内没有调用记录。',
    'trail.usage': '使用的资源及用途（全部时间）', 'trail.col.uses': '使用次数', 'trail.col.refusals': '被拒次数', 'trail.col.first': '首次', 'trail.col.last': '最近',
    'trail.proofNote': '标有“已附证明”的记录带有记录它的交易的证明：保存后可用 `civic verify <文件> --genesis genesis.json` 离线核验。',
  },
});

const QUESTIONS = ['resource', 'department', 'person'];

/** Registers `#/trail` (`?by=resource|department|person&key=…&role=…&window=…&proofs=1`). */
export function register(app) {
  app.route('/trail', 'trail', context => trailPage(app, context));
}

async function trailPage(app, { query, chain, signal }) {
  const by = QUESTIONS.includes(query.by) ? query.by : 'resource';
  const window = query.window ?? '30';
  const tabs = h('nav', { class: 'actions', attrs: { 'aria-label': t('trail.tabs') } }, QUESTIONS.map(question =>
    link('/trail?by=' + question, t('trail.by.' + question), {
      class: `button small ${question === by ? '' : 'secondary'}`.trim(),
      attrs: { 'aria-current': question === by ? 'page' : null }, dataset: { testid: 'trail-tab-' + question } })));
  const form = await questionForm(app, by, query, window, chain, signal);
  return [heading(t('trail.title'), t('trail.intro')), tabs, section(t('trail.by.' + by), form),
    query.key ? await answerSection(by, query, window, signal) : null];
}

/** The form of one question; submitting it puts the question in the address, so that it can be shared. */
async function questionForm(app, by, query, window, chain, signal) {
  const windowControl = windowSelect(window);
  const proofs = h('input', { type: 'checkbox', name: 'proofs', checked: query.proofs === '1', dataset: { testid: 'trail-proofs' } });
  const status = h('div', { attrs: { 'aria-live': 'polite' } });
  const controls = [];
  let keyOf;
  if (by === 'resource') {
    const catalog = await get('/v1/catalog/resources?limit=200', { signal });
    const list = h('datalist', { id: uid('resources') }, catalog.resources.map(item => h('option', { value: item.id, text: item.title })));
    const input = h('input', { name: 'key', value: query.key ?? '', required: true, attrs: { list: list.id }, dataset: { testid: 'trail-resource' } });
    controls.push(field(t('trail.resource'), input), list);
    keyOf = () => input.value.trim();
  } else if (by === 'department') {
    const organizations = await organizationList(signal);
    const input = h('input', { name: 'key', value: query.key ?? '', required: true, attrs: { list: organizations.id }, dataset: { testid: 'trail-department' } });
    const role = h('select', { name: 'role', dataset: { testid: 'trail-role' } },
      options([['consumer', t('trail.role.consumer')], ['provider', t('trail.role.provider')]], query.role ?? 'consumer'));
    controls.push(field(t('trail.department'), input), organizations, field(t('trail.role'), role));
    keyOf = () => input.value.trim();
  } else {
    const subject = subjectInputs('trail-person');
    controls.push(...subject.controls);
    keyOf = async () => {
      status.replaceChildren(notice(t('trail.computing')));
      return subject.fingerprint(chain?.suite ?? 'sm');
    };
  }
  controls.push(field(t('svc.window'), windowControl), h('div', { class: 'checks' }, h('label', {}, proofs, t('trail.proofs'))));
  const form = h('form', { class: 'form', dataset: { testid: 'trail-form' } }, controls,
    h('div', { class: 'actions' }, button(t('trail.ask'), null, { type: 'submit', testid: 'trail-submit' })), status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const next = new URLSearchParams({ by, key: await keyOf(), window: windowControl.value });
      if (by === 'department') next.set('role', form.elements.role.value);
      if (proofs.checked) next.set('proofs', '1');
      app.go('/trail?' + next);
    } catch (error) {
      status.replaceChildren(notice(error.message, 'bad'));
    }
  });
  return form;
}

/** The answer to the question in the address: the uses, newest first, and for a department its usage summary. */
async function answerSection(by, query, window, signal) {
  const provider = by === 'department' && query.role === 'provider';
  const question = { resource: 'resources', department: provider ? 'providers' : 'departments', person: 'subjects' }[by];
  const answer = await readTrail(question, query.key, { since: windowStart(window), proofs: query.proofs === '1', signal });
  const uses = answer.rows.filter(row => USE_EVENTS.includes(row.event));
  const title = by === 'person' ? t('trail.answerPerson')
    : t(by === 'resource' ? 'trail.answerResource' : provider ? 'trail.answerProvider' : 'trail.answerDepartment', { key: query.key });
  return h('section', { class: 'panel', dataset: { testid: 'trail-answer' }, attrs: { 'aria-labelledby': 'trail-answer-title' } },
    h('h2', { id: 'trail-answer-title', text: title }),
    by === 'person' ? h('p', { class: 'small' }, t('svc.fingerprintSent'), ' ', hash(query.key)) : null,
    by === 'person' ? h('p', { class: 'small', text: t('svc.subjectLocal') }) : null,
    by === 'department' && !provider && answer.resources.length ? [h('h3', { text: t('trail.usage') }), usageTable(answer.resources)] : null,
    trailTable(uses, { showResource: by !== 'resource', showEvent: true, testid: 'trail-table', empty: t('trail.empty'), caption: title }),
    uses.some(row => row.proof) ? h('p', { class: 'small', text: t('trail.proofNote') }) : null,
    trailNotes(answer));
}

/** A department's usage summary: resource, purpose and service item, with counts. */
function usageTable(resources) {
  return table([
    { label: t('svc.col.resource'), value: usedLink },
    { label: t('svc.col.provider'), value: item => item.provider },
    { label: t('svc.col.purpose'), value: purposeCell },
    { label: t('trail.col.uses'), class: 'num', value: item => number(item.uses) },
    { label: t('trail.col.refusals'), class: 'num', value: item => number(item.refusals) },
    { label: t('trail.col.first'), value: item => time(item.first_time_ms) },
    { label: t('trail.col.last'), value: item => time(item.last_time_ms) },
  ], resources, { caption: t('trail.usage'), testid: 'trail-usage' });
}
