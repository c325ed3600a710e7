/**
 * `keel lab [--port P] [--host H]`: serves the browser lab (built into
 * dist/lab by `npm run build`) from a small static server on localhost.
 * Everything is served from that folder: the page works offline, and a
 * Content-Security-Policy forbids any other origin.
 */
import type { Command } from 'commander';
import { createServer, type Server } from 'node:http';
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

/** Starts the static server; resolves once it listens (port 0 picks a free one). */
export function serveLab(port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const root = labDirectory();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      ok({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/` });
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
