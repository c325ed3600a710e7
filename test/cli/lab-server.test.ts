/**
 * `keel lab`'s static server against hostile requests (issue 19, defect 1 and the fuzz): a malformed escape,
 * methods other than GET/HEAD, a foreign Host header (DNS rebinding) and 2,000 seeded malformed request lines and
 * paths sent over raw sockets to a `keel lab` child process, which must answer each and stay up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Random } from '../../src/index.js';
import { hostAllowed, labUrl } from '../../src/cli/commands/lab.js';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

/** Starts `keel lab --port 0` and resolves with the port it printed. */
function startLab(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'lab', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`keel lab exited (${code}) before listening: ${out}`)));
  });
}

/** Sends raw bytes on a fresh connection; resolves with everything the server sent back before closing. */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString('latin1');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(reply) : reject(e)));
    socket.on('close', () => resolve(reply));
    socket.end(bytes);
  });
}

const request = (port: number, line: string, host = `127.0.0.1:${port}`) =>
  raw(port, `${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
const status = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? NaN);

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

test('the lab server answers malformed escapes, other methods and foreign hosts, and stays up', async () => {
  const { child, port } = await startLab();
  try {
    const bad = await request(port, 'GET /% HTTP/1.1');
    assert.equal(status(bad), 400, bad);
    const ok = await request(port, 'GET / HTTP/1.1');
    assert.equal(status(ok), 200, 'the server still serves after a malformed escape');
    assert.match(ok, /x-content-type-options: nosniff/i);
    for (const method of ['POST', 'PUT', 'DELETE', 'TRACE', 'PATCH', 'OPTIONS']) {
      const r = await request(port, `${method} / HTTP/1.1`);
      assert.equal(status(r), 405, `${method}: ${r.slice(0, 80)}`);
      assert.match(r, /allow: GET, HEAD/i);
    }
    const head = await request(port, 'HEAD / HTTP/1.1');
    assert.equal(status(head), 200);
    assert.equal(status(await request(port, 'GET / HTTP/1.1', `evil.example:${port}`)), 403, 'DNS rebinding');
    assert.equal(status(await request(port, 'GET / HTTP/1.1', `localhost:${port}`)), 200);
    assert.equal(exited(child), false);
  } finally {
    child.kill();
  }
});

test('Host check and the printed URL of an IPv6 host', () => {
  assert.equal(labUrl('::1', 8080), 'http://[::1]:8080/');
  assert.equal(labUrl('127.0.0.1', 80), 'http://127.0.0.1:80/');
  assert.equal(labUrl('0.0.0.0', 80), 'http://localhost:80/');
  assert.equal(hostAllowed('[::1]:8080', '::1'), true);
  assert.equal(hostAllowed('localhost', '127.0.0.1'), true);
  assert.equal(hostAllowed('attacker.example:8080', '127.0.0.1'), false);
  assert.equal(hostAllowed('127.0.0.1.attacker.example', '127.0.0.1'), false);
  assert.equal(hostAllowed(undefined, '127.0.0.1'), false);
  assert.equal(hostAllowed('192.168.1.5:8080', '0.0.0.0'), true);
  assert.equal(hostAllowed('192.168.1.5:8080', '127.0.0.1'), false);
});

/** One seeded malformed request (replayable by index: `case i` is drawn from Random(19_000 + i)). */
function fuzzRequest(i: number, port: number): string | Buffer {
  const rng = new Random(19_000 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)]!;
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(Math.floor(rng.uniform() * 256))).join('');
  const paths = [
    '/%',
    '/%%',
    '/%zz',
    '/%E0%A4%A',
    '/%C0%AF',
    '/..%2f..%2fetc%2fpasswd',
    '/../../../etc/passwd',
    '/%00',
    '/index.html%00.js',
    '//etc/passwd',
    '/\\..\\..\\',
    `/${'a'.repeat(Math.floor(rng.uniform() * 9000))}`,
    `/${'%25'.repeat(200)}`,
    '*',
    'http://evil.example/',
    '/?%',
    `/${junk(20)}`,
    '/worker.js#%',
    '/%ff%fe',
  ];
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'OPTIONS', 'BREW', '', 'G ET'];
  const kind = Math.floor(rng.uniform() * 5);
  if (kind === 0) return Buffer.from(junk(1 + Math.floor(rng.uniform() * 300)), 'latin1');
  if (kind === 1) return `${pick(methods)} ${pick(paths)} HTTP/1.1\r\n\r\n`; // no Host
  if (kind === 2) return `${pick(methods)} ${pick(paths)} ${pick(['HTTP/1.1', 'HTTP/9.9', 'HTTP/1', ''])}\r\n\r\n`;
  const host = pick([`127.0.0.1:${port}`, 'evil.example', '', '[::1', `localhost:${port}:1`, junk(8)]);
  return `${pick(methods)} ${pick(paths)} HTTP/1.1\r\nHost: ${host}\r\n${pick(['', 'Content-Length: 5\r\n'])}\r\n`;
}

test('fuzz: 2,000 malformed request lines and paths do not stop the lab server', async () => {
  const { child, port } = await startLab();
  const CASES = 2000;
  try {
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i += 20) {
      const replies = await Promise.all(
        Array.from({ length: Math.min(20, CASES - i) }, (_, k) => raw(port, fuzzRequest(i + k, port))),
      );
      for (const r of replies) statuses.set(status(r), (statuses.get(status(r)) ?? 0) + 1);
      assert.equal(exited(child), false, `the server exited during cases ${i}..${i + 19}`);
      for (const [k, r] of replies.entries())
        assert.doesNotMatch(r, /URIError|TypeError|RangeError|at .*\.js:\d+/, `case ${i + k} leaked an error`);
    }
    assert.equal(status(await request(port, 'GET / HTTP/1.1')), 200, 'the server serves after the fuzz');
    assert.ok(!statuses.has(200) || (statuses.get(200) ?? 0) < CASES, 'most malformed requests are refused');
    console.log(`  ${CASES} malformed requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  } finally {
    child.kill();
  }
});
