import { LabError } from '../../common/errors.js';
import type { BoxSystem } from './system.js';

/** The two programs `down` and `status` need; they must work even where docker is not installed. */
export async function networkTools(sys: BoxSystem): Promise<{ ip: string; iptables: string }> {
  const [ip, iptables] = await Promise.all([sys.findProgram('ip'), sys.findProgram('iptables')]);
  if (!ip || !iptables) {
    const missing = [ip ? undefined : 'ip', iptables ? undefined : 'iptables']
      .filter(Boolean)
      .join(', ');
    throw new LabError('prerequisite', `missing programs: ${missing}`, {
      hint: 'apt-get install -y iproute2 iptables',
    });
  }
  return { ip, iptables };
}
