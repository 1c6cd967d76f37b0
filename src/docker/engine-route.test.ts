import { describe, expect, it } from 'vitest';
import {
  chooseDialRoute,
  dialFactsScript,
  dialStdioSupported,
  forwardFailure,
  parseDialFacts,
  routeText,
  type DialFacts,
} from './engine-route.js';

const SOCK = '/var/run/docker.sock';
const facts = (over: Partial<DialFacts> = {}): DialFacts => ({
  cliVersion: '28.2.2',
  podman: false,
  socketExists: true,
  socketAccess: true,
  engine: 'up',
  ...over,
});
const refused = Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 2 });

describe('the way to the Engine on a host that refuses the socket forward', () => {
  it('reads the facts script’s answer', () => {
    expect(
      parseDialFacts('docker-cli=Docker version 18.06.3-ce, build d7080c1\nsocket=yes\nsudo=no\n'),
    ).toEqual({
      cliVersion: '18.06.3',
      podman: false,
      socketExists: true,
      socketAccess: false,
      sudo: false,
      engine: 'unknown',
    });
    expect(parseDialFacts('podman=yes\nengine=down\n')).toEqual({
      podman: true,
      socketExists: false,
      socketAccess: false,
      engine: 'down',
    });
    expect(dialFactsScript(SOCK, true)).toContain('sudo -n true');
    expect(dialFactsScript(SOCK, false)).not.toContain('sudo');
  });

  it('knows docker system dial-stdio came with 18.09', () => {
    expect(['18.09.0', '18.09', '19.03.15', '20.10.24', '28.2.2'].map(dialStdioSupported)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['1.13.1', '17.06.2', '18.06.3', '1.10.3'].map(dialStdioSupported)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('tells a refused forward from a socket the login may not open', () => {
    const root = { user: 'root' };
    expect(forwardFailure(refused, facts(), root, SOCK)).toContain(
      'sshd refuses stream forwarding',
    );
    expect(forwardFailure(refused, facts({ socketAccess: false }), { user: 'ops' }, SOCK)).toBe(
      `sshd could not open ${SOCK} for ops, who may not open it (and sshd may refuse stream forwarding as well)`,
    );
    expect(forwardFailure(refused, facts({ socketExists: false }), root, SOCK)).toContain(
      'no socket',
    );
    const prohibited = Object.assign(new Error('x'), { reason: 1 });
    expect(
      forwardFailure(
        new Error('wrapped', { cause: prohibited }),
        facts({ socketAccess: false }),
        { user: 'ops' },
        SOCK,
      ),
    ).toContain('refuses stream forwarding');
  });

  it('as root: dial-stdio without sudo, and says why', () => {
    const r = chooseDialRoute(facts(), { user: 'root', become: false }, SOCK, 'sshd refuses');
    expect(r).toEqual({ route: { via: 'dial-stdio', sudo: false, reason: 'sshd refuses' } });
    if ('route' in r) expect(routeText(r.route)).toBe('Docker via dial-stdio: sshd refuses');
  });

  it('a user without the socket but with passwordless sudo: through sudo', () => {
    const r = chooseDialRoute(
      facts({ socketAccess: false, sudo: true }),
      { user: 'ops', become: true },
      SOCK,
      undefined,
    );
    expect(r).toEqual({ route: { via: 'dial-stdio', sudo: true } });
    if ('route' in r) expect(routeText(r.route)).toBe('Docker via dial-stdio through sudo');
  });

  it('names every reason at once, each with what to change', () => {
    const r = chooseDialRoute(
      facts({ cliVersion: '1.13.1', socketAccess: false, sudo: false }),
      { user: 'ops', become: true },
      SOCK,
      'forwarding refused',
    );
    expect('reasons' in r && r.reasons).toEqual([
      'forwarding refused',
      expect.stringContaining(
        'docker CLI is 1.13.1; `docker system dial-stdio` needs Docker 18.09 or newer',
      ),
      expect.stringContaining('sudo wants a password for ops'),
    ]);
    const noBecome = chooseDialRoute(
      facts({ socketAccess: false }),
      { user: 'ops', become: false },
      SOCK,
      undefined,
    );
    expect('reasons' in noBecome && noBecome.reasons).toEqual([
      expect.stringContaining(`permission denied on ${SOCK} for ops (not in the docker group)`),
    ]);
  });

  it('a Podman host: no docker CLI, said so', () => {
    const r = chooseDialRoute(
      { podman: true, socketExists: true, socketAccess: true, engine: 'up' },
      { user: 'root', become: false },
      SOCK,
      'refused',
    );
    expect('reasons' in r && r.reasons[1]).toMatch(/runs Podman and has no `docker` CLI/);
    const bare = chooseDialRoute(
      { podman: false, socketExists: true, socketAccess: true, engine: 'up' },
      { user: 'root', become: false },
      SOCK,
      undefined,
    );
    expect('reasons' in bare && bare.reasons[0]).toMatch(/no `docker` CLI on the host/);
  });
});
