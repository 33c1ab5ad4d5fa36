'use strict';

const path = require('node:path');

/**
 * Counts the commands this process's ioredis clients send (each is one request on the wire;
 * a Lua script counts once however many commands it runs inside Redis). Only counts: the
 * command is passed on unchanged. Installed on the ioredis copy the event bus itself loads.
 *
 * @param {string} [library] file the event bus is loaded from (default: the installed package)
 * @returns {{ count: () => number }}
 */
function installRedisCommandCounter(library) {
  let count = 0;
  let Redis;
  try {
    const libraryDir = path.dirname(library ?? require.resolve('nestjs-event-bus'));
    Redis = require(require.resolve('ioredis', { paths: [libraryDir] })).Redis;
  } catch {
    return { count: () => 0 };
  }
  const original = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function countedSendCommand(/** @type {unknown[]} */ ...args) {
    count++;
    return original.apply(this, args);
  };
  return { count: () => count };
}

module.exports = { installRedisCommandCounter };
