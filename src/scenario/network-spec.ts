/** A Docker network a scenario declares (its own file so that model.ts and model-assert.ts need not import each other). */
export interface NetworkSpec {
  name: string;
  /** bridge | macvlan | overlay (others are passed through to Docker). */
  driver: string;
  /** Inventory host names the network is created on: the same network, identical, on each. */
  hosts: string[];
  subnet?: string;
  gateway?: string;
  /** macvlan parent NIC (becomes the `parent` driver option). */
  parent?: string;
  /** Other driver options (`-o k=v`). */
  options: Record<string, string>;
  attachable?: boolean;
  internal?: boolean;
}
