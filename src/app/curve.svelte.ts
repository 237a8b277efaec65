/**
 * A loss curve that only grows: plain arrays appended in place (no copy per
 * step, no deep proxy), and a `version` rune that tells the chart to redraw.
 * Validation points may arrive before or after their step's training point
 * (they come through another message channel); each lands on its step.
 */
export class Curve {
  readonly steps: number[] = [];
  readonly loss: number[] = [];
  readonly val: (number | null)[] = [];
  version = $state(0);
  private pendingVal = new Map<number, number>();

  get length(): number {
    return this.version >= 0 ? this.steps.length : 0; // reading version makes `length` reactive
  }

  get last(): [number, number] | null {
    return this.length ? [this.steps.at(-1)!, this.loss.at(-1)!] : null;
  }

  add(points: [number, number][]) {
    for (const [step, loss] of points) {
      this.steps.push(step);
      this.loss.push(loss);
      this.val.push(this.pendingVal.get(step) ?? null);
      this.pendingVal.delete(step);
    }
    if (points.length) this.version++;
  }

  addVal(step: number, value: number) {
    for (let i = this.steps.length - 1; i >= 0 && this.steps[i] >= step; i--) {
      if (this.steps[i] === step) {
        this.val[i] = value;
        this.version++;
        return;
      }
    }
    this.pendingVal.set(step, value);
  }

  clear() {
    for (const a of [this.steps, this.loss, this.val]) a.length = 0;
    this.pendingVal.clear();
    this.version++;
  }
}
