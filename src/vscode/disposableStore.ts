// Disposables that live and die with one owner (a panel, the window's runs): disposed together;
// one that ends first is dropped; whatever is added after the owner is gone is disposed at once.
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private readonly items = new Set<vscode.Disposable>();
  private disposed = false;

  get size(): number {
    return this.items.size;
  }

  add<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  /** Drops an item that ended on its own (a run finished before its owner), without disposing it. */
  delete(d: vscode.Disposable): void {
    this.items.delete(d);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.items) d.dispose();
    this.items.clear();
  }
}
