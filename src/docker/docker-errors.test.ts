import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { dockerError, dockerStatusOf } from './docker-errors.js';

describe('dockerError', () => {
  it("turns an Engine error into a remote LabError with status and the Engine's words", () => {
    const modemErr = Object.assign(
      new Error('(HTTP code 409) unexpected - network with name mac_net1 already exists '),
      {
        statusCode: 409,
        json: { message: 'network with name mac_net1 already exists' },
      },
    );
    const e = dockerError('server1', 'POST /networks/create mac_net1', modemErr, 60_000);
    expect(e).toBeInstanceOf(LabError);
    expect(e.kind).toBe('remote');
    expect(e.message).toBe(
      'server1: POST /networks/create mac_net1 failed: HTTP 409: network with name mac_net1 already exists',
    );
    expect(e.context).toEqual({ host: 'server1', command: 'POST /networks/create mac_net1' });
    expect(e.cause).toBe(modemErr);
    expect(dockerStatusOf(e)).toBe(409);
  });

  it("falls back to the modem's message without its prefix", () => {
    const modemErr = Object.assign(new Error('(HTTP code 500) server error - boom '), {
      statusCode: 500,
      json: null,
    });
    expect(dockerError('h', 'GET /info', modemErr, 1).message).toBe(
      'h: GET /info failed: HTTP 500: boom',
    );
  });

  it('says timed out for an aborted request', () => {
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const e = dockerError('h', 'GET /info', abort, 1500);
    expect(e.message).toBe('h: GET /info timed out after 1500 ms');
    expect(e.kind).toBe('remote');
  });

  it('calls transport trouble a host problem', () => {
    const e = dockerError(
      'h',
      'GET /version',
      Object.assign(new Error('connect ENOENT /x.sock'), { code: 'ENOENT' }),
      1,
    );
    expect(e.kind).toBe('host');
    expect(e.message).toBe(
      'h: cannot reach the Docker Engine for GET /version: connect ENOENT /x.sock',
    );
    expect(dockerStatusOf(e)).toBeUndefined();
  });

  it('passes LabErrors (an SSH channel that would not open) through', () => {
    const own = new LabError('host', 'server1: cannot open the unix socket');
    expect(dockerError('server1', 'GET /info', own, 1)).toBe(own);
  });
});
