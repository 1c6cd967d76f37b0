/**
 * `http:` — a request from the machine running lab to a host's port gets the container's answer: the
 * whole way in from outside, through the host's DNAT (and docker-proxy) to the container. Tried again
 * until the wait runs out, since a server may still be starting; the last answer or failure counts.
 */
import { pollUntil } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { judged, type AssertContext, type HttpAnswer } from './context.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';

type HttpAssertion = Extract<PlannedAssertion, { kind: 'http' }>;

export function httpUrl(a: Pick<HttpAssertion, 'address' | 'port' | 'path'>): string {
  return `http://${a.address}:${a.port}${a.path}`;
}

/** Why the answer is not the one claimed; undefined when it is. */
export function answerMismatch(a: HttpAssertion, answer: HttpAnswer): string | undefined {
  if (answer.status !== a.status) return `HTTP ${answer.status}, not ${a.status}`;
  if (a.body !== undefined && !new RegExp(a.body, 'i').test(answer.body))
    return `the body does not match /${a.body}/`;
  return undefined;
}

function excerpt(body: string): string {
  const one = body.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

export async function checkHttp(a: HttpAssertion, ctx: AssertContext): Promise<AssertionResult> {
  const started = ctx.now();
  const url = httpUrl(a);
  const command = `curl -s -i ${url}    # from the machine running lab`;
  const claim = `GET ${url} from here answers ${a.status}${a.body !== undefined ? ` with a body matching /${a.body}/` : ''}`;
  let attempts = 0;
  let last: { answer?: HttpAnswer; error?: string } = {};
  await pollUntil(ctx, ctx.options.waitMs, 250, async () => {
    attempts++;
    try {
      const answer = await ctx.options.httpGet(url, ctx.options.timeoutMs);
      last = { answer };
      return answer && answerMismatch(a, answer) === undefined ? true : undefined;
    } catch (err) {
      last = { error: errorText(err) };
      return undefined;
    }
  });
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (last.answer) {
    const why = answerMismatch(a, last.answer);
    const body = excerpt(last.answer.body);
    return judged(ctx, a, started, why === undefined ? 'pass' : 'fail', {
      claim,
      evidence: `${why ? `${why}: ` : ''}HTTP ${last.answer.status}, body "${body}" (${tries})`,
      command,
      output: `HTTP ${last.answer.status}\n\n${last.answer.body}`,
    });
  }
  // No answer at all: a refused or unanswered connection is the claim failing, not lab.
  return judged(ctx, a, started, 'fail', {
    claim,
    evidence: `no answer: ${last.error ?? 'unknown'} (${tries})`,
    command,
  });
}
