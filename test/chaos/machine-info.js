const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;

/** First line a command prints, or `unknown` when it is not installed or fails. */
function firstLine(file, args) {
  try {
    const out = execFileSync(file, args, {
      env: { ...process.env, PATH: SBIN_PATH },
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.toString().trim().split('\n').pop().trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

function packageVersion(path) {
  try {
    return JSON.parse(readFileSync(join(ROOT, path), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function osName() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? `${os.type()} ${os.release()}`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

/** What the reliability report states about the machine and the software it measured. */
function machineInfo() {
  const redis = /v=(\S+)/.exec(firstLine('redis-server', ['--version']))?.[1] ?? 'unknown';
  return {
    generatedAt: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: osName(),
    versions: {
      'nestjs-event-bus': packageVersion('libs/event-bus/package.json'),
      Node: process.versions.node,
      RabbitMQ: firstLine('rabbitmqctl', ['version']),
      'Erlang/OTP': firstLine('erl', ['-noshell', '-eval', 'io:format("~s~n", [erlang:system_info(otp_release)]), halt().']),
      Redis: redis,
      amqplib: packageVersion('node_modules/amqplib/package.json'),
      ioredis: packageVersion('node_modules/ioredis/package.json'),
    },
  };
}

module.exports = { machineInfo };
