'use strict';
// The JSON of an execution's inline steps (`executions.steps`, see inline-steps.ts), built from the steps'
// values flattened into one array (FIELDS per step, in that order). Plain JavaScript: the store's writer thread
// (sqlite-writer.cjs) builds it there, off the main thread, and the main thread only when writes run on it.

/** The values of one step, in order (the `step` write's parameters, see statements.ts). */
const FIELDS = ['index', 'nodeId', 'nodeType', 'status', 'startedAt', 'durationMs', 'port', 'inputRef', 'input', 'output', 'outputSame', 'error', 'attempts'];

/** `"n":…,"t":…` of a node: the same few nodes run again and again, so their JSON is kept (bounded). */
const nodeParts = new Map();

function nodeJson(id, type) {
  const key = `${id}\u0000${type}`;
  let text = nodeParts.get(key);
  if (text === undefined) {
    if (nodeParts.size >= 1000) nodeParts.clear();
    text = `"n":${JSON.stringify(id)},"t":${JSON.stringify(type)}`;
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
 * The JSON array, in one join: each payload (input, output, error and attempts are JSON text already, often
 * kilobytes) is copied once, into the result.
 * @param {ReadonlyArray<unknown>} flat
 * @returns {string}
 */
function inlineStepsJson(flat) {
  const parts = ['['];
  for (let i = 0; i < flat.length; i += FIELDS.length) {
    // By position, as FIELDS lists them.
    if (i > 0) parts.push(',');
    parts.push(`{"i":${flat[i]},`, nodeJson(flat[i + 1], flat[i + 2]), `,"s":${quoted(flat[i + 3])},"at":${quoted(flat[i + 4])},"d":${numberJson(flat[i + 5])}`);
    if (flat[i + 6] != null) parts.push(`,"p":${quoted(flat[i + 6])}`);
    if (flat[i + 7] != null) parts.push(`,"r":${flat[i + 7]}`);
    if (flat[i + 8] != null) parts.push(',"in":', flat[i + 8]);
    if (flat[i + 9] != null) parts.push(',"o":', flat[i + 9]);
    if (flat[i + 10]) parts.push(',"same":1');
    if (flat[i + 11] != null) parts.push(',"e":', flat[i + 11]);
    if (flat[i + 12] != null) parts.push(',"a":', flat[i + 12]);
    parts.push('}');
  }
  parts.push(']');
  return parts.join('');
}

exports.FIELDS = FIELDS;
exports.inlineStepsJson = inlineStepsJson;
