// Test driver for the console's JavaScript cryptography, run by ConsoleCryptoTests.swift under Node.js.
// Usage: node driver.mjs <console js directory>  < request.json  > answer.json
// The request is {"op": ..., ...} or {"op": "batch", "requests": [...]}; the answer is JSON, or {"error": message}
// when the operation throws.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const consoleJS = process.argv[2];
const keys = await import(pathToFileURL(`${consoleJS}/crypto/keys.js`).href);
const { verifyTransactionProof } = await import(pathToFileURL(`${consoleJS}/proof.js`).href);
const request = JSON.parse(readFileSync(0, 'utf8'));
const { fromHex, toHex } = keys;

const operations = {
  async digest({ suite, message }) {
    return { digest: toHex(await keys.digest(suite, fromHex(message))) };
  },
  async import({ pem }) {
    const key = await keys.importPrivateKeyPEM(pem);
    return { suite: key.suite, publicKey: toHex(key.publicKey) };
  },
  async sign({ pem, message }) {
    const key = await keys.importPrivateKeyPEM(pem);
    return { signature: toHex(await key.sign(fromHex(message))) };
  },
  async verify({ suite, publicKey, message, signature }) {
    return { valid: await keys.verifySignature(suite, fromHex(publicKey), fromHex(message), fromHex(signature)) };
  },
  async certificate({ pem }) {
    const { suite, publicKey } = keys.publicKeyFromCertificatePEM(pem);
    return { suite, publicKey: toHex(publicKey) };
  },
  async encodePublicKey({ suite, publicKey }) {
    return { encoded: toHex(keys.encodePublicKey(suite, fromHex(publicKey))) };
  },
  async proof({ proof, genesis }) {
    return { checks: await verifyTransactionProof(proof, genesis) };
  },
};

/** Runs one request; a failing operation answers {error}. */
async function answer(request) {
  try {
    if (request.op === 'batch') return { answers: await Promise.all(request.requests.map(answer)) };
    return await operations[request.op](request);
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
}

process.stdout.write(JSON.stringify(await answer(request)));
