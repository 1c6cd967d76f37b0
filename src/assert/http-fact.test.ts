import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import type { HttpGet } from './context.js';
import { checkHttp } from './http-fact.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';

const a: Extract<PlannedAssertion, { kind: 'http' }> = {
  kind: 'http',
  id: 'a',
  host: 'server1',
  dependsOn: [],
  reason: 'r',
  address: '198.18.0.1',
  port: 80,
  path: '/',
  status: 200,
  body: 'hello from web',
};

describe('http assertions', () => {
  it('PASS: the answer has the status and a matching body; the URL is the host’s address', async () => {
    const urls: string[] = [];
    const get: HttpGet = async (url) => (
      urls.push(url),
      { status: 200, body: 'hello from web on web\n' }
    );
    const r = await checkHttp(a, fakeContext([], { httpGet: get }));
    expect(urls).toEqual(['http://198.18.0.1:80/']);
    expect(r).toMatchObject({
      outcome: 'pass',
      evidence: 'HTTP 200, body "hello from web on web" (1 attempt)',
    });
  });

  it('retries while the server is not up yet, within the wait', async () => {
    let n = 0;
    const get: HttpGet = async () => {
      if (++n < 3) throw new Error('connect ECONNREFUSED 198.18.0.1:80');
      return { status: 200, body: 'hello from web' };
    };
    const ctx = fakeContext([], { httpGet: get, waitMs: 5000 });
    expect((await checkHttp(a, ctx)).evidence).toMatch(/\(3 attempts\)$/);
    expect(ctx.slept).toEqual([250, 250]);
  });

  it('stops trying once the wait has run out: one last try after it, never a sleep past it', async () => {
    const ctx = fakeContext([], {
      httpGet: async () => {
        throw new Error('connect ECONNREFUSED 198.18.0.1:80');
      },
      waitMs: 600,
    });
    const r = await checkHttp(a, ctx);
    expect(r.evidence).toMatch(/\(4 attempts\)$/);
    expect(ctx.slept).toEqual([250, 250, 250]);
  });

  it('FAIL: another status, another body, or no answer at all', async () => {
    const wrong = await checkHttp(
      a,
      fakeContext([], { httpGet: async () => ({ status: 404, body: 'nope' }) }),
    );
    expect(wrong).toMatchObject({ outcome: 'fail' });
    expect(wrong.evidence).toMatch(/^HTTP 404, not 200/);
    const body = await checkHttp(
      a,
      fakeContext([], { httpGet: async () => ({ status: 200, body: 'welcome to nginx' }) }),
    );
    expect(body.evidence).toMatch(/^the body does not match \/hello from web\//);
    const none = await checkHttp(
      a,
      fakeContext([], {
        httpGet: async () => {
          throw new Error('no answer within 1000 ms');
        },
      }),
    );
    expect(none).toMatchObject({
      outcome: 'fail',
      evidence: 'no answer: no answer within 1000 ms (1 attempt)',
    });
  });
});
