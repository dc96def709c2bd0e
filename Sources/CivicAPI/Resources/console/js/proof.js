// Checks, in the browser, that a transaction is in a block certified by the chain's validators (Docs/0003),
// from the node's `GET /v1/transactions/{hash}/proof?format=json` answer and the genesis validators alone.
//
// Nothing the node says is believed except through hashes and signatures: the header is decoded here from its
// canonical bytes, the block hash and the precommit the validators signed are rebuilt here, and signatures are
// checked against the validators of the genesis the caller supplies, not the set the node's answer lists.

import { CanonicalReader, encodeString, encodeUInt, encodeVarint } from './crypto/canonical.js';
import { concat, equalBytes } from './crypto/encoding.js';
import { digest, encodePublicKey, fromHex, toHex, utf8, verifySignature } from './crypto/keys.js';
import { suiteInfo, suiteOfByte } from './crypto/suites.js';

const HEADER_DOMAIN = utf8('CivicLedger/header/v1');
const VOTE_DOMAIN = utf8('CivicLedger/vote/v1');
const TRANSACTION_DOMAIN = utf8('CivicLedger/tx/v1');
const VALIDATORS_DOMAIN = utf8('CivicLedger/validators/v1');
const PRECOMMIT = 2;
const SIGNATURE_BYTES = 64;
/** Longest audit path accepted (Limits.merklePathMax). */
const MERKLE_PATH_MAX = 64;

/** The value of `object[name]`, accepting the camelCase or snake_case spelling of `name`. */
function field(object, name) {
  if (object === null || typeof object !== 'object') throw new Error(`expected an object holding "${name}"`);
  const snake = name.replace(/[A-Z]/g, (letter) => '_' + letter.toLowerCase());
  const value = object[name] ?? object[snake];
  if (value === undefined || value === null) throw new Error(`"${snake}" is missing`);
  return value;
}

/** Bytes from a hex string field, with a message naming the field. */
function hexField(object, name, length) {
  const text = field(object, name);
  let bytes;
  try {
    bytes = fromHex(text);
  } catch {
    throw new Error(`"${name}" is not hexadecimal`);
  }
  if (length !== undefined && bytes.length !== length) throw new Error(`"${name}" is not ${length} bytes`);
  return bytes;
}

/** A non-negative safe integer (leaf index, count) as a BigInt. */
function countField(object, name) {
  const value = field(object, name);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`"${name}" is not a non-negative integer`);
  return BigInt(value);
}

/**
 * Decodes `canonical(BlockHeader)` (Sources/CivicLedger/Blocks/BlockHeader.swift, version 1).
 * @throws {Error} for another version, truncated bytes or trailing bytes.
 */
function decodeHeader(bytes) {
  const reader = new CanonicalReader(bytes);
  const version = reader.u8('header.version');
  if (version !== 1) throw new Error(`header version ${version} is unknown`);
  const header = {
    chainId: reader.string('header.chain_id'),
    height: reader.u64('header.height'),
    time: reader.u64('header.time'),
    previousHash: reader.fixed(32, 'header.previous_hash'),
    proposer: reader.u32('header.proposer'),
    transactionCount: reader.u32('header.transaction_count'),
    transactionsRoot: reader.fixed(32, 'header.transactions_root'),
    receiptsRoot: reader.fixed(32, 'header.receipts_root'),
    stateRoot: reader.fixed(32, 'header.state_root'),
    validatorsHash: reader.fixed(32, 'header.validators_hash'),
  };
  reader.finish('the header');
  return header;
}

/**
 * Splits `canonical(Transaction)` = body ‖ signature and reads the body's start: version, chain id, signer.
 * @returns {{chainId: string, signerSuite: string|null, signer: Uint8Array, signBytes: Uint8Array, signature: Uint8Array}}
 */
function decodeTransaction(bytes) {
  if (bytes.length <= SIGNATURE_BYTES) throw new Error('the transaction bytes are too short');
  const body = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  const reader = new CanonicalReader(body);
  const version = reader.u8('transaction.version');
  if (version !== 1) throw new Error(`transaction version ${version} is unknown`);
  const chainId = reader.string('transaction.chain_id');
  const signerSuite = suiteOfByte(reader.u8('transaction.signer'));
  const signer = reader.fixed(65, 'transaction.signer');
  return {
    chainId, signerSuite, signer,
    signBytes: concat(TRANSACTION_DOMAIN, body),
    signature: bytes.subarray(bytes.length - SIGNATURE_BYTES),
  };
}

/**
 * Reads the genesis argument: chain id, suite and validators (name, organization, power, and the public key in hex
 * as a 65-byte point 04‖X‖Y or as the 66-byte suite-tagged encoding — both are accepted).
 */
function readGenesis(genesis) {
  const chainId = field(genesis, 'chainId');
  const suite = field(genesis, 'suite');
  suiteInfo(suite);
  const list = field(genesis, 'validators');
  if (!Array.isArray(list) || list.length === 0) throw new Error('the genesis lists no validators');
  const validators = list.map((validator, index) => {
    let key = hexField(validator, 'publicKey');
    if (key.length === 66) {
      if (suiteOfByte(key[0]) !== suite) throw new Error(`validator #${index}'s key is not of suite ${suite}`);
      key = key.subarray(1);
    }
    if (key.length !== 65) throw new Error(`validator #${index}'s public key is not 65 or 66 bytes`);
    const power = BigInt(field(validator, 'power'));
    if (power <= 0n) throw new Error(`validator #${index} has no voting power`);
    return { name: validator.name, organization: validator.organization, publicKey: key, power };
  });
  return { chainId, suite, validators };
}

/** `canonical(ValidatorSet)`: count, then each validator's name, organization, suite-tagged key and power (u64). */
function encodeValidatorSet(suite, validators) {
  return concat(encodeVarint(validators.length), ...validators.map((validator, index) => {
    if (typeof validator.name !== 'string' || typeof validator.organization !== 'string') {
      throw new Error(`validator #${index} has no name or organization, which the set's hash covers`);
    }
    return concat(encodeString(validator.name), encodeString(validator.organization),
      encodePublicKey(suite, validator.publicKey), encodeUInt(validator.power, 8));
  }));
}

/** RFC 9162 §2.1.3.2: whether `path` leads from leaf `leaf` at `index` to `root` in a tree of `size` leaves. */
async function verifyAuditPath(suite, leaf, index, size, path, root) {
  if (index >= size || path.length > MERKLE_PATH_MAX) return false;
  let fn = index;
  let sn = size - 1n;
  let r = await digest(suite, concat(new Uint8Array([0]), leaf));
  for (const sibling of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await digest(suite, concat(new Uint8Array([1]), sibling, r));
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await digest(suite, concat(new Uint8Array([1]), r, sibling));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equalBytes(r, root);
}

/** An audit path object `{leaf_index, path: [hex]}` as `{index: BigInt, path: [Uint8Array]}`. */
function readPath(object) {
  const list = field(object, 'path');
  if (!Array.isArray(list)) throw new Error('"path" is not a list');
  return {
    index: countField(object, 'leafIndex'),
    path: list.map((hash) => hexField({ hash }, 'hash', 32)),
  };
}

/** Runs `body` once and remembers its value or its error, so that dependent checks can name the cause. */
function lazy(body, what) {
  let outcome;
  return async () => {
    if (outcome === undefined) {
      try {
        outcome = { value: await body() };
      } catch (error) {
        outcome = { error: `${what}: ${error?.message ?? error}` };
      }
    }
    if ('error' in outcome) throw new Error(outcome.error);
    return outcome.value;
  };
}

/**
 * Checks a transaction proof against the chain's genesis.
 *
 * @param {object|string} proofJSON the answer of `GET /v1/transactions/{hash}/proof?format=json` (object or text)
 * @param {{chainId: string, suite: 'sm'|'intl', validators: Array<{name: string, organization: string,
 *   publicKey: string, power: number|string}>}} genesis the genesis chain id, suite and validators, as
 *   `GET /v1/chain` lists them (snake_case names are accepted too). Public keys are hex, either the 65-byte point
 *   04‖X‖Y or the 66-byte suite-tagged encoding. Name and organization are needed: the validator-set hash covers them.
 * @returns {Promise<Array<{id: string, ok: boolean|null, detail: string}>>} the checks `header.chain`,
 *   `header.validator_set`, `commit.signatures`, `transaction.signature`, `transaction.in_block`, `receipt.in_block`,
 *   `validator_set.transitions` and `overall`. `ok: null` means the browser left the check to the node (the
 *   validator set changed since genesis). Never throws: malformed input fails checks with a reason.
 */
export async function verifyTransactionProof(proofJSON, genesis) {
  const proof = lazy(() => (typeof proofJSON === 'string' ? JSON.parse(proofJSON) : proofJSON), 'the proof is not JSON');
  const chain = lazy(() => readGenesis(genesis), 'the genesis cannot be used');
  const headerBytes = lazy(async () => hexField(field(await proof(), 'header'), 'bytes'), 'the header is missing');
  const header = lazy(async () => decodeHeader(await headerBytes()), 'the header bytes cannot be decoded');
  const transaction = lazy(async () => {
    const part = field(await proof(), 'transaction');
    const bytes = hexField(part, 'bytes');
    return { bytes, ...decodeTransaction(bytes), path: readPath(field(part, 'path')) };
  }, 'the transaction cannot be read');
  const transitions = lazy(async () => countField(await proof(), 'transitions'), 'the transition count cannot be read');
  // Whether the header names a set other than genesis's after validator-set changes: then the node checks it.
  const leftToNode = async () => {
    const { suite, validators } = await chain();
    const genesisSetHash = await digest(suite, concat(VALIDATORS_DOMAIN, encodeValidatorSet(suite, validators)));
    const named = (await header()).validatorsHash;
    return { changed: !equalBytes(genesisSetHash, named) && (await transitions()) > 0n, genesisSetHash, named };
  };
  const nodeDetail = async () =>
    `the block is certified by a validator set that replaced the genesis set (${await transitions()} change(s) since genesis): checked by the node`;

  const checks = [];
  const run = async (id, body) => {
    try {
      checks.push({ id, ...(await body()) });
    } catch (error) {
      checks.push({ id, ok: false, detail: String(error?.message ?? error) });
    }
  };

  await run('header.chain', async () => {
    const { chainId, suite } = await chain();
    const claimedSuite = field(await proof(), 'suite');
    if (claimedSuite !== suite) return { ok: false, detail: `the proof is for a chain of suite ${claimedSuite}, not ${suite}` };
    const named = (await header()).chainId;
    return named === chainId
      ? { ok: true, detail: `the header is of chain ${chainId}` }
      : { ok: false, detail: `the header is of chain "${named}", not "${chainId}"` };
  });

  await run('header.validator_set', async () => {
    const { changed, genesisSetHash, named } = await leftToNode();
    if (changed) return { ok: null, detail: await nodeDetail() };
    return equalBytes(genesisSetHash, named)
      ? { ok: true, detail: `the header names the genesis validator set ${toHex(named)}` }
      : { ok: false, detail: `the header names validator set ${toHex(named)}, not the genesis set ${toHex(genesisSetHash)}` };
  });

  await run('commit.signatures', async () => {
    if ((await leftToNode()).changed) return { ok: null, detail: await nodeDetail() };
    const { chainId, suite, validators } = await chain();
    const { height } = await header();
    const blockHash = await digest(suite, concat(HEADER_DOMAIN, await headerBytes()));
    const certificate = field(await proof(), 'certificate');
    const round = Number(countField(certificate, 'round'));
    const vote = concat(VOTE_DOMAIN, encodeString(chainId), new Uint8Array([PRECOMMIT]), encodeUInt(height, 8),
      encodeUInt(round, 4), new Uint8Array([1]), blockHash);
    const entries = field(certificate, 'signatures');
    if (!Array.isArray(entries)) throw new Error('"signatures" is not a list');
    let previous = -1;
    let signed = 0n;
    for (const entry of entries) {
      const index = Number(countField(entry, 'validatorIndex'));
      if (index <= previous) return { ok: false, detail: 'the certificate lists validators out of order or twice' };
      previous = index;
      const validator = validators[index];
      if (validator === undefined) return { ok: false, detail: `the certificate names validator #${index}, which genesis does not list` };
      const signature = hexField(entry, 'signature', SIGNATURE_BYTES);
      if (!(await verifySignature(suite, validator.publicKey, vote, signature))) {
        return { ok: false, detail: `the signature of validator #${index} (${validator.name ?? 'unnamed'}) does not verify` };
      }
      signed += validator.power;
    }
    const total = validators.reduce((sum, validator) => sum + validator.power, 0n);
    const summary = `${entries.length} of ${validators.length} validators signed block ${toHex(blockHash)} at height ${height}, round ${round}: power ${signed} of ${total}`;
    return 3n * signed > 2n * total
      ? { ok: true, detail: `${summary} (more than 2/3)` }
      : { ok: false, detail: `${summary}, not more than 2/3` };
  });

  await run('transaction.signature', async () => {
    const { suite } = await chain();
    const { signerSuite, signer, signBytes, signature } = await transaction();
    if (signerSuite !== suite) return { ok: false, detail: `the signer's key is not of suite ${suite}` };
    return (await verifySignature(suite, signer, signBytes, signature))
      ? { ok: true, detail: `signed by ${toHex(signer)}` }
      : { ok: false, detail: `the signature does not verify under the signer's key ${toHex(signer)}` };
  });

  await run('transaction.in_block', async () => {
    const { suite } = await chain();
    const { bytes, path } = await transaction();
    const { transactionCount, transactionsRoot, height } = await header();
    return (await verifyAuditPath(suite, bytes, path.index, BigInt(transactionCount), path.path, transactionsRoot))
      ? { ok: true, detail: `transaction ${path.index} of ${transactionCount} in block ${height} (transactions root ${toHex(transactionsRoot)})` }
      : { ok: false, detail: `the audit path does not lead to the header's transactions root ${toHex(transactionsRoot)}` };
  });

  await run('receipt.in_block', async () => {
    const { suite } = await chain();
    const tx = await transaction();
    const part = field(await proof(), 'receipt');
    const bytes = hexField(part, 'bytes');
    const path = readPath(field(part, 'path'));
    const { transactionCount, receiptsRoot } = await header();
    if (path.index !== tx.path.index) return { ok: false, detail: 'the receipt is not at the transaction\'s index' };
    const transactionHash = await digest(suite, tx.signBytes);
    if (bytes.length < 32 || !equalBytes(bytes.subarray(0, 32), transactionHash)) {
      return { ok: false, detail: `the receipt does not name transaction ${toHex(transactionHash)}` };
    }
    return (await verifyAuditPath(suite, bytes, path.index, BigInt(transactionCount), path.path, receiptsRoot))
      ? { ok: true, detail: `the receipt of ${toHex(transactionHash)} is in the block (receipts root ${toHex(receiptsRoot)})` }
      : { ok: false, detail: `the receipt's audit path does not lead to the header's receipts root ${toHex(receiptsRoot)}` };
  });

  await run('validator_set.transitions', async () => {
    const count = await transitions();
    return count === 0n
      ? { ok: true, detail: 'no validator-set change since genesis bears on this block' }
      : { ok: null, detail: `${count} validator-set change(s) since genesis: checked by the node` };
  });

  const failed = checks.filter((check) => check.ok === false).map((check) => check.id);
  const deferred = checks.filter((check) => check.ok === null).map((check) => check.id);
  if (failed.length > 0) {
    checks.push({ id: 'overall', ok: false, detail: `failed: ${failed.join(', ')}` });
  } else if (deferred.length > 0) {
    checks.push({ id: 'overall', ok: null, detail: `every check the browser can make passed; left to the node: ${deferred.join(', ')}` });
  } else {
    checks.push({ id: 'overall', ok: true, detail: 'the transaction and its receipt are in a block certified by the genesis validators' });
  }
  return checks;
}
