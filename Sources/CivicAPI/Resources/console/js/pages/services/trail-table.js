// The table of usage-trail rows, shared by the catalog, the requests and the "who accessed" pages.
import { h, number, table, time } from '../../dom.js';
import { t } from '../../i18n.js';
import { addressLink, outcomeBadge, proofCell, purposeCell, transactionLink, usedLink } from './common.js';

/**
 * A table of trail rows (newest first). `showResource` adds what was used (for department and person questions);
 * `showEvent` names the kind of record (for answers that mix accesses, checks and request decisions). A proof column
 * appears when the rows came with proofs.
 */
export function trailTable(rows, { showResource = false, showEvent = false, testid = 'trail-table', empty, caption } = {}) {
  const columns = [
    { label: t('svc.col.time'), value: row => time(row.time_ms) },
    showEvent ? { label: t('svc.col.event'), value: row => t('svc.event.' + row.event) } : null,
    showResource ? { label: t('svc.col.resource'), value: usedLink } : null,
    showResource ? { label: t('svc.col.provider'), value: row => row.provider } : null,
    { label: t('svc.col.consumer'), value: row => h('strong', { text: row.consumer_organization || '—' }) },
    { label: t('svc.col.person'), value: row => addressLink(row.consumer) },
    { label: t('svc.col.fields'), value: row => row.fields.join(', ') || '—' },
    { label: t('svc.col.purpose'), value: purposeCell },
    { label: t('svc.col.outcome'), value: row => outcomeBadge(row.outcome) },
    { label: t('svc.col.rows'), class: 'num', value: row => (row.event === 'catalog.access' ? number(row.rows) : '—') },
    rows.some(row => row.proof) ? { label: t('svc.col.proof'), value: proofCell } : null,
    { label: t('svc.col.transaction'), value: row => transactionLink(row.transaction_hash) },
  ].filter(Boolean);
  return table(columns, rows, { caption, empty, testid });
}
