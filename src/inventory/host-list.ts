import { problemAt, type InventoryData } from './data.js';
import { expandHostKey } from './host-pattern.js';

/**
 * `-i 'server1,server2:2222,'`: Ansible's host_list plugin (a source that is no file and has a comma):
 * each non-empty item is an ungrouped host, with an optional :port.
 */
export function readHostList(data: InventoryData, source: string): void {
  const at = { file: source };
  for (const item of source.split(',')) {
    const text = item.trim();
    if (text === '') continue;
    // Ansible reads no ranges here: `web[1:2]` stays one (invalid) name.
    const { names, port } = text.includes('[')
      ? { names: [text], port: undefined }
      : problemAt(at, () => expandHostKey(text));
    for (const name of names) if (!data.hosts.has(name)) data.addHost(name, at, 'ungrouped', port);
  }
}
