import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineOverSocket } from './engine-socket.js';

/** A fake Engine on a unix socket: the calls the box makes, and what the import was sent. */
describe('engineOverSocket (the box on the shared Engine client)', () => {
  let dir: string;
  let socket: string;
  let server: Server;
  const imports: { url: string; type: string | undefined; body: string }[] = [];
  let importAnswer = '{"status":"sha256:1"}\n';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-engine-socket-'));
    socket = join(dir, 'docker.sock');
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = (req.url ?? '').replace(/^\/v1\.41/, '');
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url === '/_ping') return void res.end('OK');
      if (url === '/version') return json(200, { Version: '20.10.24', ApiVersion: '1.41' });
      if (url === '/info') return json(200, { ID: 'AAAA:BBBB', Name: 'server1' });
      if (url === '/images/lab/box:1/json') return json(200, { Id: 'sha256:1' });
      if (url.startsWith('/images/create?')) {
        imports.push({
          url,
          type: req.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(importAnswer);
      }
      return json(404, { message: `no such thing: ${url}` });
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('pings, reads version and info, and asks for images', async () => {
    expect(await engineOverSocket.ping(socket)).toBe(true);
    expect(await engineOverSocket.ping(join(dir, 'none.sock'))).toBe(false);
    expect(await engineOverSocket.version(socket)).toEqual({
      version: '20.10.24',
      apiVersion: '1.41',
    });
    expect(await engineOverSocket.info(socket)).toEqual({ id: 'AAAA:BBBB', name: 'server1' });
    expect(await engineOverSocket.imageExists(socket, 'lab/box:1')).toBe(true);
    expect(await engineOverSocket.imageExists(socket, 'lab/box:2')).toBe(false);
  });

  it('imports a tar file with its changes, and reports the Engine error inside an HTTP 200', async () => {
    const tar = join(dir, 'rootfs.tar');
    await writeFile(tar, 'not really a tar');
    await engineOverSocket.importImage(socket, tar, 'lab/box:1', ['CMD ["/bin/sh"]']);
    const sent = imports.at(-1);
    expect(sent?.body).toBe('not really a tar');
    expect(sent?.type).toBe('application/x-tar');
    const query = new URLSearchParams(sent?.url.split('?')[1]);
    expect(query.get('fromSrc')).toBe('-');
    expect(query.get('repo')).toBe('lab/box');
    expect(query.get('tag')).toBe('1');
    expect(query.getAll('changes')).toEqual(['CMD ["/bin/sh"]']);

    importAnswer = '{"status":"x"}\n{"error":"archive/tar: invalid tar header"}\n';
    await expect(engineOverSocket.importImage(socket, tar, 'lab/box:1', [])).rejects.toThrow(
      /importing lab\/box:1 failed/,
    );
  });
});
