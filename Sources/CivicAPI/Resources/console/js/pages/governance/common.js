// What the governance, identity, contract and operations pages share: the expiry badge of a certificate, and the
// wording of governance changes, rules and resources.
import { addStrings, t } from '../../i18n.js';
import { badge } from '../../dom.js';

addStrings({
  en: {
    'expiry.expired': 'expired', 'expiry.days': '{days} days left', 'expiry.soon': 'expires in {days} days',
    'resource.membership': 'Membership (organizations and their admins)', 'resource.validator_set': 'Validator nodes',
    'resource.chain_config': 'Chain settings (block size and interval)', 'resource.certificate_revocation': 'Revoking certificates',
    'resource.contract_deploy': 'Contracts (deploy, upgrade, freeze)', 'resource.certificate_recognition': 'Recognizing certificate issuers',
    'rule.ANY': 'any one organization', 'rule.MAJORITY': 'a majority of the organizations', 'rule.ALL': 'every organization',
    'rule.N': '{n} organizations', 'rule.role': '{rule}, each through a {role}', 'rule.admin': '{rule}, each through one of its admins',
    'change.add_organization': 'Admit the organization “{organization}”, with {admin_name} as its first admin',
    'change.remove_organization': 'Remove the organization “{organization}”',
    'change.add_admin': 'Make {admin_name} an admin of {organization}',
    'change.remove_admin': 'Remove the admin {admin_address} from {organization}',
    'change.add_validator': 'Add the validator node {validator} of {organization} (voting power {power})',
    'change.remove_validator': 'Remove the validator node {validator}',
    'change.set_validator_power': 'Set the voting power of the validator node {validator} to {power}',
    'change.set_block_transactions_max': 'Allow at most {block_transactions_max} transactions in a block',
    'change.set_block_interval_ms': 'Make a block every {block_interval_ms} milliseconds',
    'change.revoke_certificate': 'Revoke the certificate with fingerprint {fingerprint}',
    'change.set_policy': 'Change the rule for “{resource}” to: {policy}',
    'change.deploy_contract': 'Deploy the contract “{contract}” (code {code_hash})',
    'change.upgrade_contract': 'Upgrade the contract “{contract}” to new code ({code_hash})',
    'change.freeze_contract': 'Freeze the contract “{contract}”: it refuses every call until unfrozen',
    'change.unfreeze_contract': 'Unfreeze the contract “{contract}”: it accepts calls again',
    'change.set_trusted_issuers': 'For certificates of type “{certificate_type}”, also trust those issued by: {organizations}',
    'change.set_trusted_issuers_none': 'For certificates of type “{certificate_type}”, trust only the registering issuer',
    'change.other': 'Change “{change}”',
  },
  zh: {
    'expiry.expired': '已过期', 'expiry.days': '剩余 {days} 天', 'expiry.soon': '{days} 天后到期',
    'resource.membership': '成员管理（成员单位及其管理员）', 'resource.validator_set': '验证节点',
    'resource.chain_config': '链参数（区块大小与出块间隔）', 'resource.certificate_revocation': '吊销证书',
    'resource.contract_deploy': '合约（部署、升级、冻结）', 'resource.certificate_recognition': '证照签发单位互认',
    'rule.ANY': '任一成员单位', 'rule.MAJORITY': '过半数成员单位', 'rule.ALL': '全体成员单位',
    'rule.N': '{n} 个成员单位', 'rule.role': '{rule}（由其{role}投票）', 'rule.admin': '{rule}（由其管理员投票）',
    'change.add_organization': '接纳成员单位“{organization}”，首位管理员为 {admin_name}',
    'change.remove_organization': '移除成员单位“{organization}”',
    'change.add_admin': '增设 {admin_name} 为 {organization} 的管理员',
    'change.remove_admin': '撤销 {organization} 的管理员 {admin_address}',
    'change.add_validator': '新增 {organization} 的验证节点 {validator}（投票权重 {power}）',
    'change.remove_validator': '移除验证节点 {validator}',
    'change.set_validator_power': '将验证节点 {validator} 的投票权重调整为 {power}',
    'change.set_block_transactions_max': '每个区块最多容纳 {block_transactions_max} 笔交易',
    'change.set_block_interval_ms': '出块间隔调整为 {block_interval_ms} 毫秒',
    'change.revoke_certificate': '吊销指纹为 {fingerprint} 的证书',
    'change.set_policy': '将“{resource}”的表决规则改为：{policy}',
    'change.deploy_contract': '部署合约“{contract}”（代码 {code_hash}）',
    'change.upgrade_contract': '将合约“{contract}”升级为新代码（{code_hash}）',
    'change.freeze_contract': '冻结合约“{contract}”：解冻前拒绝一切调用',
    'change.unfreeze_contract': '解冻合约“{contract}”：恢复接受调用',
    'change.set_trusted_issuers': '“{certificate_type}”类证照，同时认可以下单位签发的：{organizations}',
    'change.set_trusted_issuers_none': '“{certificate_type}”类证照，仅认可登记该类型的签发单位',
    'change.other': '变更“{change}”',
  },
});

/**
 * A badge for a certificate that stops being valid at `notAfterMs`: bad once expired, warn within 30 days, ok
 * otherwise; the title gives the date.
 */
export function expiryBadge(notAfterMs) {
  if (notAfterMs === undefined || notAfterMs === null) return '—';
  const days = Math.floor((Number(notAfterMs) - Date.now()) / 86_400_000);
  const element = days < 0 ? badge(t('expiry.expired'), 'bad')
    : days < 30 ? badge(t('expiry.soon', { days }), 'warn') : badge(t('expiry.days', { days }), 'ok');
  element.title = new Date(Number(notAfterMs)).toISOString().slice(0, 10);
  return element;
}

/** A governed resource (membership, validator_set…) in words. */
export function resourceName(resource) {
  const key = `resource.${resource}`;
  return t(key) === key ? resource : t(key);
}

/**
 * A policy as the API writes it (`ANY`, `MAJORITY`, `ALL`, `3-OF`, optionally `(role)`) in words, and how many of
 * `organizations` member organizations must approve (ANY 1, MAJORITY more than half, ALL all, N-of at most all;
 * never fewer than 1, as Docs/0010 defines).
 */
export function describePolicy(policy, organizations) {
  const match = /^(ANY|MAJORITY|ALL|(\d+)-OF)(?:\((\w+)\))?$/i.exec(policy || '');
  if (!match) return { words: policy || '—', required: null };
  const rule = match[1].toUpperCase();
  const n = match[2] ? Number(match[2]) : null;
  const words = n ? t('rule.N', { n }) : t(`rule.${rule}`);
  const required = Math.max(1, rule === 'ANY' ? 1 : rule === 'ALL' ? organizations
    : rule === 'MAJORITY' ? Math.floor(organizations / 2) + 1 : Math.min(n, organizations));
  return {
    words: match[3] ? t('rule.role', { rule: words, role: t(`role.${match[3]}`) }) : t('rule.admin', { rule: words }),
    required,
  };
}

/** A proposal's change (`change` and its `fields`, as the API lists them) as one sentence. */
export function describeChange(change, fields = {}) {
  if (change === 'set_contract_frozen') {
    return t(fields.frozen === 'true' ? 'change.freeze_contract' : 'change.unfreeze_contract', fields);
  }
  if (change === 'set_trusted_issuers' && !fields.organizations) return t('change.set_trusted_issuers_none', fields);
  if (change === 'set_policy') return t('change.set_policy', { ...fields, resource: resourceName(fields.resource), policy: describePolicy(fields.policy, 0).words });
  const key = `change.${change}`;
  return t(key) === key ? t('change.other', { change }) : t(key, fields);
}
