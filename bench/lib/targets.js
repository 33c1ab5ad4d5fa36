'use strict';

const { formatRatio } = require('./format');

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

  const label = (/** @type {string} */ id) => row(id)?.spec.label ?? id;
  const sameWire = (/** @type {string} */ id) => row(id)?.spec.sameWireAs ?? 'raw-cloudevents';
  const golevelup = '@golevelup/nestjs-rabbitmq';

  for (const id of ['event-bus-noidem', 'event-bus-minimal']) {
    add(`${label(id)}: end-to-end ≥ 1.0× ${golevelup}`, over(value(id, 'e2e'), value('golevelup', 'e2e')), (v) => v >= 1.0, formatRatio);
  }
  for (const id of ['event-bus', 'event-bus-noidem', 'event-bus-minimal']) {
    add(
      `${label(id)}: publish ≥ 0.95× ${label(sameWire(id))}`,
      over(value(id, 'publish'), value(sameWire(id), 'publish')),
      (v) => v >= 0.95,
      formatRatio,
    );
    add(
      `${label(id)}: publish ≥ 1.0× ${golevelup}`,
      over(value(id, 'publish'), value('golevelup', 'publish')),
      (v) => v >= 1.0,
      formatRatio,
    );
  }
  add(`${label('event-bus')}: end-to-end ≥ 0.85× raw amqplib`, row('event-bus')?.cells.e2e.ratio, (v) => v >= 0.85, formatRatio);
  for (const id of ['event-bus', 'event-bus-noidem', 'event-bus-minimal']) {
    add(`${label(id)}: p99 at 1,000 msg/s ≤ 2× raw amqplib`, row(id)?.cells.p99.ratio, (v) => v <= 2, formatRatio);
    add(
      `${label(id)}: peak RSS draining ≤ 1.5× ${golevelup}`,
      over(value(id, 'rss'), value('golevelup', 'rss')),
      (v) => v <= 1.5,
      formatRatio,
    );
  }
  return checks;
}

module.exports = { checkTargets };
