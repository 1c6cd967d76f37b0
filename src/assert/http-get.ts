/** The one real HttpGet: node:http, no proxy from the environment, a hard timeout, a size cap. */
import http from 'node:http';
import type { HttpAnswer, HttpGet } from './context.js';

const MAX_BODY = 64 * 1024;

export const httpGet: HttpGet = (url, timeoutMs) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    const req = http.get(url, { signal: AbortSignal.timeout(timeoutMs), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', (err) =>
      reject(err.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : err),
    );
  });
