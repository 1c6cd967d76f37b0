/**
 * Lets steps of one host run concurrently while each still waits for what it depends on: a step
 * awaits its dependencies' gates, then opens its own (or fails it, which fails its dependents).
 */
export class DependencyGate {
  private readonly gates = new Map<
    string,
    { promise: Promise<void>; open: () => void; fail: (e: unknown) => void }
  >();

  constructor(ids: Iterable<string>) {
    for (const id of ids) {
      let open!: () => void;
      let fail!: (e: unknown) => void;
      const promise = new Promise<void>((resolve, reject) => {
        open = resolve;
        fail = reject;
      });
      // A failure is reported by the step that failed; dependents learn of it through waitFor.
      promise.catch(() => {});
      this.gates.set(id, { promise, open, fail });
    }
  }

  /** Resolves when every known dependency succeeded; rejects with the first one that failed. */
  async waitFor(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.flatMap((id) => this.gates.get(id)?.promise ?? []));
  }

  open(id: string): void {
    this.gates.get(id)?.open();
  }

  fail(id: string, err: unknown): void {
    this.gates.get(id)?.fail(err);
  }
}
