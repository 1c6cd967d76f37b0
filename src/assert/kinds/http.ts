/** `http:` a GET from the machine running lab to a host's port answers a status (and a body). */
import { checkHttp, httpUrl } from '../http-fact.js';
import type { AssertionKindCheck } from './kind.js';

export const http: AssertionKindCheck<'http'> = {
  local: true,
  command: (a) => `curl -s -i ${httpUrl(a)}    # from the machine running lab`,
  claim: (a) =>
    `answers ${a.status}${a.body !== undefined ? ` with a body matching /${a.body}/` : ''}`,
  check: checkHttp,
};
