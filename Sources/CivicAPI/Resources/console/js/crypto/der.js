// Just enough PEM (RFC 7468) and DER (X.690) reading for EC keys and X.509 certificates.

import { fromBase64 } from './encoding.js';

/** DER tags used by the key and certificate formats. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
};

/**
 * The PEM blocks in `text`, in order.
 * @param {string} text
 * @returns {Array<{label: string, der: Uint8Array}>}
 * @throws {Error} when a block's body is not base64 or a block is not closed.
 */
export function readPEMBlocks(text) {
  if (typeof text !== 'string') throw new Error('expected PEM text');
  const blocks = [];
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/g;
  let match;
  while ((match = begin.exec(text)) !== null) {
    const label = match[1];
    const endMarker = `-----END ${label}-----`;
    const end = text.indexOf(endMarker, begin.lastIndex);
    if (end < 0) throw new Error(`the PEM block "${label}" has no END line`);
    const body = text.slice(begin.lastIndex, end);
    if (/:/.test(body)) throw new Error(`the PEM block "${label}" has headers (encrypted keys are not supported)`);
    let der;
    try {
      der = fromBase64(body);
    } catch {
      throw new Error(`the PEM block "${label}" is not valid base64`);
    }
    blocks.push({ label, der });
    begin.lastIndex = end + endMarker.length;
  }
  return blocks;
}

/**
 * One DER element: its tag, its content and where the next element starts.
 * @param {Uint8Array} bytes
 * @param {number} offset
 * @returns {{tag: number, content: Uint8Array, next: number}}
 * @throws {Error} for truncated or non-DER lengths.
 */
export function readElement(bytes, offset = 0) {
  if (offset + 2 > bytes.length) throw new Error('truncated DER');
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let at = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || at + count > bytes.length) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + i];
    if (length < 0x80) throw new Error('non-minimal DER length');
    at += count;
  }
  if (at + length > bytes.length) throw new Error('truncated DER');
  return { tag, content: bytes.subarray(at, at + length), next: at + length };
}

/**
 * The elements inside a constructed element's content, in order.
 * @param {Uint8Array} content
 * @returns {Array<{tag: number, content: Uint8Array}>}
 */
export function readChildren(content) {
  const children = [];
  let offset = 0;
  while (offset < content.length) {
    const element = readElement(content, offset);
    children.push(element);
    offset = element.next;
  }
  return children;
}

/**
 * Reads one element that must have `tag` and fill `bytes` exactly.
 * @throws {Error} naming `what` otherwise.
 */
export function readWhole(bytes, tag, what) {
  const element = readElement(bytes, 0);
  if (element.tag !== tag || element.next !== bytes.length) throw new Error(`not a DER ${what}`);
  return element;
}

/** The dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOID(content) {
  if (content.length === 0) throw new Error('empty OID');
  const parts = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const first = Math.min(2, Math.floor(parts[0] / 40));
  return [first, parts[0] - 40 * first, ...parts.slice(1)].join('.');
}
