// #/events?contract=&name=: the newest events the contracts recorded (from GET /v1/events/range), filtered by
// contract and kind, with new ones added as they are committed (the page polls the same range endpoint from where it
// left off: simpler than a stream to keep right across reloads, sleeps and node restarts, and the same filters).
import { get } from '../../api.js';
import { ago, button, errorNotice, field, h, hash, heading, link, number, replace, table } from '../../dom.js';
import { addStrings, t } from '../../i18n.js';
import { compactFacts, tagRows } from './common.js';

addStrings({
  en: {
    'explorer.events.title': 'Events',
    'explorer.events.intro': 'When a transaction succeeds, its contract records events: what happened, in a few named fields (for example "a data request was approved"). Applications follow them to react; you can read them here.',
    'explorer.events.contract': 'Contract', 'explorer.events.allContracts': 'All contracts', 'explorer.events.kind': 'Kind of event',
    'explorer.events.kindHint': 'e.g. catalog.request_decided; leave empty for all', 'explorer.events.show': 'Show',
    'explorer.events.live': 'Add new events as they happen', 'explorer.events.caption': 'Events, newest first',
    'explorer.events.when': 'When', 'explorer.events.block': 'Block', 'explorer.events.transaction': 'Transaction', 'explorer.events.event': 'Event', 'explorer.events.details': 'Details',
    'explorer.events.empty': 'No events match in the recent blocks.', 'explorer.events.window': 'The {count} newest matching events, from block {from} to block {to}.',
  },
  zh: {
    'explorer.events.title': '事件',
    'explorer.events.intro': '交易执行成功后，合约会记录事件：用几个字段说明发生了什么（例如“一项数据申请已获批准”）。应用系统据此作出响应；您也可以在这里查看。',
    'explorer.events.contract': '合约', 'explorer.events.allContracts': '全部合约', 'explorer.events.kind': '事件类型',
    'explorer.events.kindHint': '例如 catalog.request_decided；留空表示全部', 'explorer.events.show': '查询',
    'explorer.events.live': '实时显示新事件', 'explorer.events.caption': '事件列表（最新在前）',
    'explorer.events.when': '时间', 'explorer.events.block': '区块', 'explorer.events.transaction': '交易', 'explorer.events.event': '事件', 'explorer.events.details': '详情',
    'explorer.events.empty': '最近的区块中没有符合条件的事件。', 'explorer.events.window': '第 {from} 至第 {to} 号区块中最新的 {count} 条符合条件的事件。',
  },
});

const WANT = 50;          // events shown
const SPAN_MAX = 1000;    // the most blocks one range request reads

/**
 * The newest `WANT` events matching `filter` ({contract, name}), newest first: reads windows of blocks backwards from
 * the head, narrowing a window that holds more events than a page returns, widening after a quiet one.
 */
async function recentEvents(filter, signal) {
  const { height: head } = await get('/v1/chain', { signal });
  let found = [], hi = head, span = 64, lowest = head;
  for (let reads = 0; found.length < WANT && hi >= 0 && reads < 12; reads += 1) {
    const lo = Math.max(0, hi - span + 1);
    const query = new URLSearchParams({ from: String(lo), to: String(hi), limit: '1000', ...filter });
    const page = await get(`/v1/events/range?${query}`, { signal });
    if (page.next_after && span > 1) { span = Math.max(1, Math.floor(span / 8)); continue; }
    found = page.events.concat(found);
    lowest = lo;
    hi = lo - 1;
    span = Math.min(SPAN_MAX, span * 4);
  }
  return { events: found.slice(-WANT).reverse(), from: lowest, to: head };
}

function eventsTable(events) {
  return tagRows(table([
    { label: t('explorer.events.when'), value: event => h('span', { title: new Date(event.block_time_ms).toISOString(), text: ago(event.block_time_ms) }) },
    { label: t('explorer.events.event'), value: event => h('code', { class: 'mono', text: event.name }) },
    { label: t('explorer.events.details'), value: event => compactFacts(event.attributes) },
    { label: t('explorer.events.block'), class: 'num', value: event => link(`/blocks/${event.height}`, number(event.height)) },
    { label: t('explorer.events.transaction'), value: event => hash(event.transaction_hash, `/tx/${event.transaction_hash}`) },
  ], events, { caption: t('explorer.events.caption'), empty: t('explorer.events.empty'), testid: 'events-table' }),
  events, event => ({ testid: 'event-row', id: event.id }));
}

/** Where the next poll starts, after `page` of `GET /v1/events/range` (see its next_after and next_from). */
function nextCursor(page) {
  if (page.next_after) return { after: page.next_after };
  if (page.next_from !== undefined) return { from: String(page.next_from) };
  const last = page.events[page.events.length - 1];
  return last ? { after: last.id } : { from: String(page.to + 1) };
}

async function eventsPage({ query, chain, signal, every }) {
  const filter = {};
  if (query.contract) filter.contract = query.contract;
  if (query.name) filter.name = query.name;
  const contract = h('select', { name: 'contract' },
    h('option', { value: '', text: t('explorer.events.allContracts') }),
    (chain?.contracts ?? []).map(name => h('option', { value: name, text: name, selected: name === query.contract })));
  const kind = h('input', { name: 'name', type: 'text', value: query.name ?? '', spellcheck: false, autocomplete: 'off' });
  const live = h('input', { type: 'checkbox', id: 'events-live', checked: true, dataset: { testid: 'events-live' } });
  const form = h('form', { class: 'toolbar', dataset: { testid: 'events-filter' } },
    field(t('explorer.events.contract'), contract), field(t('explorer.events.kind'), kind, t('explorer.events.kindHint')),
    button(t('explorer.events.show'), null, { type: 'submit', testid: 'events-show' }),
    h('label', { class: 'checks', htmlFor: 'events-live' }, live, ' ', t('explorer.events.live')));
  const list = h('div');
  const status = h('p', { class: 'small', dataset: { testid: 'events-summary' } });
  const problem = h('div', { attrs: { 'aria-live': 'polite' } });
  let events = [];
  const show = () => { if (!list.contains(document.activeElement)) replace(list, eventsTable(events)); };
  form.addEventListener('submit', event => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (contract.value) params.set('contract', contract.value);
    // A kind without its contract's prefix gets it, when one contract is chosen ("written" → "kv.written").
    const name = kind.value.trim();
    if (name) params.set('name', name.includes('.') || !contract.value ? name : `${contract.value}.${name}`);
    window.location.hash = `#/events${params.size ? `?${params}` : ''}`;
  });
  const recent = await recentEvents(filter, signal);
  events = recent.events;
  status.textContent = t('explorer.events.window', { count: number(events.length), from: number(recent.from), to: number(recent.to) });
  show();
  let cursor = events.length > 0 ? { after: events[0].id } : { from: String(recent.to + 1) };
  let busy = false; // a slow node must not pile polls up
  every(3000, async () => {
    if (!live.checked || busy) return;
    busy = true;
    try {
      const page = await get(`/v1/events/range?${new URLSearchParams({ ...cursor, limit: '1000', ...filter })}`, { signal });
      cursor = nextCursor(page);
      replace(problem);
      if (page.events.length === 0) return;
      events = page.events.slice().reverse().concat(events).slice(0, WANT * 2);
      show();
    } catch (error) {
      if (error.name !== 'AbortError') replace(problem, errorNotice(error));
    } finally { busy = false; }
  });
  return [heading(t('explorer.events.title'), t('explorer.events.intro')), form, status, problem, list];
}

/** Registers `#/events`. */
export function register(app) {
  app.route('/events', 'events', eventsPage);
}
