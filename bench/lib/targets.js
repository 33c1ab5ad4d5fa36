'use strict';

const { formatRatio, formatNumber } = require('./format');

/**
 * The performance targets nestjs-event-bus is held to, checked against a run's summary.
 *
 * @typedef {object} TargetCheck
 * @property {string} target
 * @property {string} measured
 * @property {'met' | 'missed' | 'not measured'} verdict
 */

/**
 * @param {import('./aggregate').Summary[]} rows
 * @returns {TargetCheck[]}
 */
function checkTargets(rows) {
  const row = (/** @type {string} */ id) => rows.find((r) => r.spec.id === id);
  const value = (/** @type {string} */ id, /** @type {string} */ key) => {
    const cell = row(id)?.cells[key];
    return cell && cell.okRuns > 0 ? cell.value : undefined;
  };
  /** @type {TargetCheck[]} */
  const checks = [];
  const add = (
    /** @type {string} */ target,
    /** @type {number | undefined} */ measured,
    /** @type {(v: number) => boolean} */ ok,
    /** @type {(v: number) => string} */ show,
  ) => {
    checks.push(
      measured === undefined || !Number.isFinite(measured)
        ? { target, measured: '—', verdict: 'not measured' }
        : { target, measured: show(measured), verdict: ok(measured) ? 'met' : 'missed' },
    );
  };
  const over = (/** @type {number | undefined} */ a, /** @type {number | undefined} */ b) => (a !== undefined && b ? a / b : undefined);

  for (const id of ['event-bus', 'event-bus-noidem']) {
    const label = row(id)?.spec.label ?? id;
    add(`${label}: publish ≥ 0.95× raw amqplib`, row(id)?.cells.publish.ratio, (v) => v >= 0.95, formatRatio);
  }
  add(
    'nestjs-event-bus (idempotent: false): end-to-end ≥ 1.0× @golevelup/nestjs-rabbitmq',
    over(value('event-bus-noidem', 'e2e'), value('golevelup', 'e2e')),
    (v) => v >= 1.0,
    formatRatio,
  );
  add('nestjs-event-bus (idempotent): end-to-end ≥ 0.85× raw amqplib', row('event-bus')?.cells.e2e.ratio, (v) => v >= 0.85, formatRatio);
  for (const id of ['event-bus', 'event-bus-noidem']) {
    const label = row(id)?.spec.label ?? id;
    add(
      `${label}: p99 ≤ 50 ms at 1,000 msg/s`,
      value(id, 'p99'),
      (v) => v <= 50,
      (v) => `${formatNumber(v, 2)} ms`,
    );
  }
  return checks;
}

module.exports = { checkTargets };
