'use strict';

const fs = require('node:fs');

/**
 * docs/benchmarks.md holds the last report of the other benchmark modes too (the profile of
 * `npm run bench:profile`, the scaling curve of `npm run bench -- --scaling`), each between
 * markers of its own, so one file has every figure. The main run rewrites the file and puts
 * each report back from its own file; each mode, when it runs, replaces its section in place.
 */

const markers = (/** @type {string} */ name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];

/** A report as a section of a larger document: every heading one level down. */
function asSection(/** @type {string} */ markdown) {
  return markdown.trim().replace(/^(#+) /gm, '#$1 ');
}

/**
 * The section `name` for docs/benchmarks.md, markers included: the report in `reportFile` if
 * there is one, else `placeholder` (a heading and the command that makes it).
 *
 * @param {string} name
 * @param {string} reportFile
 * @param {string} placeholder
 * @returns {string}
 */
function embeddedSection(name, reportFile, placeholder) {
  const [start, end] = markers(name);
  const body = fs.existsSync(reportFile) ? asSection(fs.readFileSync(reportFile, 'utf8')) : placeholder;
  return `${start}\n${body}\n${end}`;
}

/**
 * Replaces the section `name` of `file` with `markdown`; a file without its markers is left alone.
 *
 * @param {string} file
 * @param {string} name
 * @param {string} markdown
 */
function spliceSection(file, name, markdown) {
  if (!fs.existsSync(file)) return;
  const [startMark, endMark] = markers(name);
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(startMark);
  const end = text.indexOf(endMark);
  if (start < 0 || end < start) return;
  fs.writeFileSync(file, `${text.slice(0, start)}${startMark}\n${asSection(markdown)}\n${text.slice(end)}`);
}

module.exports = { embeddedSection, spliceSection };
