'use strict';

const { formatRatio } = require('./format');

/** Contender that sends nestjs-event-bus's wire format with raw amqplib. */
const SAME_FORMAT_ID = 'raw-cloudevents';
/** Throughput figures compared against it. */
const KEYS = /** @type {const} */ (['publish', 'e2e', 'drain']);

/**
 * nestjs-event-bus's throughput divided by that of raw amqplib sending the very same
 * messages (CloudEvents body, with mirrored or minimal properties as the contender's
 * `sameWireAs` says): the share of the gap to plain raw
 * amqplib that is the library's own doing, as opposed to the wire format's cost in the broker.
 * Empty when either side is missing from the run.
 *
 * @param {import('./aggregate').Summary[]} rows
 * @returns {{ label: string, cells: string[] }[]}
 */
function wireFormatComparison(rows) {
  return rows
    .filter((r) => r.spec.topology === 'library')
    .map((r) => ({ r, sameFormat: rows.find((other) => other.spec.id === (r.spec.sameWireAs ?? SAME_FORMAT_ID)) }))
    .filter(({ sameFormat }) => sameFormat !== undefined)
    .map(({ r, sameFormat }) => ({
      label: r.spec.label,
      cells: KEYS.map((key) => {
        const mine = r.cells[key];
        const theirs = /** @type {import('./aggregate').Summary} */ (sameFormat).cells[key];
        const usable = mine?.okRuns > 0 && theirs?.okRuns > 0 && theirs.value > 0;
        return usable ? formatRatio(mine.value / theirs.value) : '—';
      }),
    }));
}

module.exports = { wireFormatComparison, SAME_FORMAT_ID };
