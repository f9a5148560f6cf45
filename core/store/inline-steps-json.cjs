'use strict';
// The inline steps of an execution (`executions.steps`, see inline-steps.ts). The main thread packs the steps'
// values into one flat array (packSteps) and the store's writer thread turns that into the JSON
// (inlineStepsJson), so building the text costs the main thread nothing. The array is structured-cloned on its
// way to the writer, at a cost per value, so it carries only what a step has: per step
//   index, node (id and type, see nodeKey), startedAt, durationMs, flags, then the values the flags announce,
//   in this order: status (unless succeeded), port (unless out or absent), inputRef, input, output, error, attempts.
// Plain JavaScript: the writer thread (sqlite-writer.cjs) requires it, and the main thread when writes run there.

const SUCCEEDED = 1; // status is 'succeeded' (no value)
const STATUS = 2; // another status follows
const PORT_OUT = 4; // port is 'out' (no value)
const PORT = 8; // another port follows
const INPUT_REF = 16;
const INPUT = 32;
const OUTPUT = 64;
const OUTPUT_SAME = 128; // no value
const ERROR = 256;
const ATTEMPTS = 512;

/** `id\0type` of a node, one string per node for as long as it runs (bounded). */
const nodeKeys = new Map();

function nodeKey(id, type) {
  let byType = nodeKeys.get(id);
  if (byType === undefined) {
    if (nodeKeys.size >= 1000) nodeKeys.clear();
    nodeKeys.set(id, (byType = new Map()));
  }
  let key = byType.get(type);
  if (key === undefined) byType.set(type, (key = `${id}\u0000${type}`));
  return key;
}

/** Appends a value its flag announces; returns the flag. */
function put(out, flag, value) {
  out.push(value);
  return flag;
}

/**
 * The parameters of `step` writes (see statements.ts) packed as described above.
 * @param {ReadonlyArray<Record<string, any>>} steps
 * @returns {unknown[]}
 */
function packSteps(steps) {
  const out = [];
  for (const p of steps) {
    let flags = 0;
    const at = out.length + 4; // where the flags go
    out.push(p.index, nodeKey(p.nodeId, p.nodeType), p.startedAt, p.durationMs, 0);
    if (p.status === 'succeeded') flags |= SUCCEEDED;
    else flags |= put(out, STATUS, p.status);
    if (p.port === 'out') flags |= PORT_OUT;
    else if (p.port != null) flags |= put(out, PORT, p.port);
    if (p.inputRef != null) flags |= put(out, INPUT_REF, p.inputRef);
    if (p.input != null) flags |= put(out, INPUT, p.input);
    if (p.output != null) flags |= put(out, OUTPUT, p.output);
    if (p.outputSame) flags |= OUTPUT_SAME;
    if (p.error != null) flags |= put(out, ERROR, p.error);
    if (p.attempts != null) flags |= put(out, ATTEMPTS, p.attempts);
    out[at] = flags;
  }
  return out;
}

/** `"n":…,"t":…` of a node key: the same few nodes run again and again, so their JSON is kept (bounded). */
const nodeParts = new Map();

function nodeJson(key) {
  let text = nodeParts.get(key);
  if (text === undefined) {
    if (nodeParts.size >= 1000) nodeParts.clear();
    const cut = key.lastIndexOf('\u0000'); // a node type has none
    text = `"n":${JSON.stringify(key.slice(0, cut))},"t":${JSON.stringify(key.slice(cut + 1))}`;
    nodeParts.set(key, text);
  }
  return text;
}

/** Plain text (statuses, ports, timestamps) goes in as it is; anything JSON must escape goes through JSON.stringify. */
const PLAIN = /^[\w .:+-]*$/;

function quoted(s) {
  return typeof s === 'string' && PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

function numberJson(n) {
  return Number.isFinite(n) ? `${n}` : 'null';
}

/**
 * A step's input or output as JSON: JSON text already, or `[before, text, after]` for a message whose data is a
 * long string, which is escaped here (off the main thread) between the JSON around it.
 * @param {string | [string, string, string]} payload
 * @returns {string}
 */
function payloadJson(payload) {
  return typeof payload === 'string' ? payload : payload[0] + JSON.stringify(payload[1]) + payload[2];
}

function pushPayload(parts, key, payload) {
  if (typeof payload === 'string') parts.push(key, payload);
  else parts.push(key, payload[0], JSON.stringify(payload[1]), payload[2]);
}

/**
 * The JSON array from packed steps, in one join: each payload (input, output, error and attempts are JSON text
 * already, often kilobytes) is copied once, into the result.
 * @param {ReadonlyArray<unknown>} packed
 * @returns {string}
 */
function inlineStepsJson(packed) {
  const parts = ['['];
  let i = 0;
  while (i < packed.length) {
    const flags = packed[i + 4];
    if (i > 0) parts.push(',');
    parts.push(`{"i":${packed[i]},`, nodeJson(packed[i + 1]));
    const startedAt = packed[i + 2];
    const durationMs = packed[i + 3];
    i += 5;
    parts.push(`,"s":${flags & SUCCEEDED ? '"succeeded"' : quoted(packed[i++])},"at":${quoted(startedAt)},"d":${numberJson(durationMs)}`);
    if (flags & PORT_OUT) parts.push(',"p":"out"');
    else if (flags & PORT) parts.push(`,"p":${quoted(packed[i++])}`);
    if (flags & INPUT_REF) parts.push(`,"r":${packed[i++]}`);
    if (flags & INPUT) pushPayload(parts, ',"in":', packed[i++]);
    if (flags & OUTPUT) pushPayload(parts, ',"o":', packed[i++]);
    if (flags & OUTPUT_SAME) parts.push(',"same":1');
    if (flags & ERROR) parts.push(',"e":', packed[i++]);
    if (flags & ATTEMPTS) parts.push(',"a":', packed[i++]);
    parts.push('}');
  }
  parts.push(']');
  return parts.join('');
}

exports.packSteps = packSteps;
exports.inlineStepsJson = inlineStepsJson;
exports.payloadJson = payloadJson;
