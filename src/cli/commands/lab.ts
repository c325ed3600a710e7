/**
 * `keel lab [--port P] [--host H]`: serves the browser lab (built into
 * dist/lab by `npm run build`) from a small static server on localhost.
 * Everything is served from that folder: the page works offline, and a
 * Content-Security-Policy forbids any other origin.
 */
import type { Command } from 'commander';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integer } from '../options.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.bin': 'application/octet-stream',
  '.json': 'application/json',
  '.png': 'image/png',
};
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' " +
  "'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

/** dist/lab, found from this file whether it runs compiled (dist/cli/commands) or from source (src/cli/commands). */
export function labDirectory(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [resolve(here, '../../lab'), resolve(here, '../../../dist/lab')];
  const found = candidates.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'worker.js')));
  if (found === undefined)
    throw new Error(`The lab is not built (looked in ${candidates.join(' and ')}); run npm run build`);
  return found;
}

/** The URL of a server on `host`:`port` (an IPv6 literal in brackets; the wildcard addresses as localhost). */
export function labUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}/`;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a request's Host header names this server: a loopback name, the interface it listens on, or (when it
 * listens on every interface) an IP literal. Any other name is refused, so a page on another site whose DNS name
 * was rebound to 127.0.0.1 cannot read the lab (DNS rebinding).
 */
export function hostAllowed(hostHeader: string | undefined, listenHost: string): boolean {
  if (hostHeader === undefined) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader.trim().toLowerCase());
  if (m === null) return false;
  const name = m[1]!;
  if (LOOPBACK_NAMES.has(name)) return true;
  const own = listenHost.toLowerCase();
  if (name === own || name === `[${own}]`) return true;
  const wildcard = own === '0.0.0.0' || own === '::';
  return wildcard && (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith('['));
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra });
  res.end(`${text}\n`);
}

/** Starts the static server; resolves once it listens (port 0 picks a free one). */
export function serveLab(port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const root = labDirectory();
  const server = createServer((req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        plain(res, 405, 'method not allowed (the lab serves GET and HEAD)', { allow: 'GET, HEAD' });
        return;
      }
      if (!hostAllowed(req.headers.host, host)) {
        plain(res, 403, 'forbidden host (open the lab at the address keel lab printed)');
        return;
      }
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        plain(res, 400, 'bad request: malformed URL');
        return;
      }
      const file = path.includes('\0') ? '' : normalize(join(root, path === '/' ? 'index.html' : path));
      if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
        plain(res, 404, 'not found');
        return;
      }
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': String(body.length),
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      // One request never ends the server: whatever went wrong is that request's answer.
      if (!res.headersSent) plain(res, 500, `internal error: ${(e as Error).message}`);
      else res.destroy();
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      ok({ server, url: labUrl(host, actual) });
    });
  });
}

export function registerLabCommand(program: Command): void {
  program
    .command('lab')
    .description('serve the browser lab: train deep networks in the browser and watch their gradients live')
    .option('--port <p>', 'port (0 = any free port)', integer('--port'), 8080)
    .option('--host <h>', 'interface to listen on', '127.0.0.1')
    .action(async (opts: { port: number; host: string }) => {
      const { url } = await serveLab(opts.port, opts.host);
      process.stdout.write(`Keel lab at ${url}  (Ctrl+C to stop)\n`);
    });
}
