// A virtualised list: a spacer as tall as all rows, and only the rows on screen (plus a few)
// as DOM elements, reused as the list scrolls. A 10,000-node plan costs ~40 row elements.
export class VirtualList {
  private readonly spacer: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private count = 0;
  private frame = 0;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly rowHeight: number,
    private readonly renderRow: (index: number, el: HTMLDivElement) => void,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vl-spacer';
    viewport.append(this.spacer);
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  setCount(n: number): void {
    this.count = n;
    this.spacer.style.height = `${n * this.rowHeight}px`;
    this.render();
  }

  /** Re-renders the rows on screen (after a selection or collapse change). */
  render(): void {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - 4);
    const last = Math.min(this.count, Math.ceil((top + height) / this.rowHeight) + 4);
    const needed = last - first;
    while (this.pool.length < needed) {
      const el = document.createElement('div');
      el.className = 'row';
      el.style.height = `${this.rowHeight}px`;
      this.spacer.append(el);
      this.pool.push(el);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const el = this.pool[i]!;
      if (i >= needed) {
        el.style.display = 'none';
        continue;
      }
      el.style.display = '';
      el.style.transform = `translateY(${(first + i) * this.rowHeight}px)`;
      this.renderRow(first + i, el);
    }
  }

  scrollToIndex(i: number): void {
    const y = i * this.rowHeight;
    const vp = this.viewport;
    if (y < vp.scrollTop || y + this.rowHeight > vp.scrollTop + vp.clientHeight) vp.scrollTop = Math.max(0, y - vp.clientHeight / 3);
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }
}
