'use strict';

/**
 * Markdown pieces the reports share: tables, and the table of the machine and versions the
 * figures were measured on.
 */

/**
 * @param {string[]} header
 * @param {string[][]} rows
 * @param {Array<'l' | 'r'>} [align]
 * @returns {string}
 */
function mdTable(header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const esc = (/** @type {string} */ s) => s.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/**
 * CPU, memory, OS, load averages, Node.js, the servers and the package versions.
 *
 * @param {import('./environment').Environment} env
 * @returns {string}
 */
function machineTable(env) {
  return mdTable(
    ['', ''],
    [
      ['CPU', `${env.cpus} × ${env.cpuModel}`],
      ['Memory', env.memory],
      ['OS', env.os],
      ['Load average (1 / 5 / 15 min)', `${env.loadBefore} at the start, ${env.loadAfter ?? '—'} at the end`],
      ['Node.js', env.node],
      ['RabbitMQ', env.rabbitmq],
      ['Redis', env.redis],
      ...env.packages.map(([name, version]) =>
        name === 'nestjs-event-bus' && env.libraryRevision ? [name, `${version} (commit ${env.libraryRevision})`] : [name, version],
      ),
    ],
    ['l', 'l'],
  );
}

module.exports = { mdTable, machineTable };
