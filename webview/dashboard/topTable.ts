// The top-queries table (pg_stat_statements): a vscode-table whose header cells sort it, with
// an "Explain" button on each row whose text can be planned.
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TopQuery } from '../../src/core/dashboard/topQueries';
import { h } from '../shared/dom';
import { ms, num } from './format';

type Key = 'query' | 'calls' | 'totalMs' | 'meanMs' | 'rows' | 'pctOfTotal';

const COLUMNS: { key: Key; label: string; width: string }[] = [
  { key: 'query', label: 'Query', width: '46%' },
  { key: 'calls', label: 'Calls', width: '9%' },
  { key: 'totalMs', label: 'Total time', width: '11%' },
  { key: 'meanMs', label: 'Mean time', width: '10%' },
  { key: 'rows', label: 'Rows', width: '9%' },
  { key: 'pctOfTotal', label: '% of total', width: '7%' },
];

export class TopTable {
  readonly el = h('div', { class: 'top-queries' });
  private rows: TopQuery[] = [];
  private sortKey: Key = 'totalMs';
  private descending = true;

  constructor(private readonly onExplain: (id: string) => void) {}

  /** Sorts by a column (the header cells call this); a second click reverses. */
  sortBy(key: Key): void {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = key !== 'query';
    }
    this.render();
  }

  show(rows: TopQuery[], unavailable?: string): void {
    this.rows = rows;
    this.render(unavailable);
  }

  private sorted(): TopQuery[] {
    const k = this.sortKey;
    const dir = this.descending ? -1 : 1;
    return [...this.rows].sort((a, b) => {
      const x = a[k];
      const y = b[k];
      if (typeof x === 'string' && typeof y === 'string') return dir * x.localeCompare(y);
      return dir * ((x ?? -1) as number) - dir * ((y ?? -1) as number);
    });
  }

  private render(unavailable?: string): void {
    this.el.replaceChildren();
    if (unavailable) {
      this.el.append(h('p', { class: 'note' }, `Top queries are not available: ${unavailable}`));
      return;
    }
    if (this.rows.length === 0) {
      this.el.append(h('p', { class: 'note' }, 'No statements recorded by pg_stat_statements yet.'));
      return;
    }
    const table = document.createElement('vscode-table');
    table.setAttribute('zebra', '');
    table.setAttribute('bordered-rows', '');
    table.columns = [...COLUMNS.map((c) => c.width), '8%'];
    const header = document.createElement('vscode-table-header');
    header.slot = 'header';
    for (const c of COLUMNS) {
      const arrow = c.key === this.sortKey ? (this.descending ? ' ▼' : ' ▲') : '';
      const cell = document.createElement('vscode-table-header-cell');
      cell.textContent = c.label + arrow;
      cell.className = `sortable${c.key === 'query' ? '' : ' num'}`;
      cell.dataset.key = c.key;
      cell.title = `Sort by ${c.label.toLowerCase()}`;
      cell.addEventListener('click', () => this.sortBy(c.key));
      header.append(cell);
    }
    header.append(document.createElement('vscode-table-header-cell'));
    const body = document.createElement('vscode-table-body');
    body.slot = 'body';
    for (const r of this.sorted()) {
      const row = document.createElement('vscode-table-row');
      const cell = (text: string, cls?: string, title?: string) => {
        const c = document.createElement('vscode-table-cell');
        c.textContent = text;
        if (cls) c.className = cls;
        if (title) c.title = title;
        return c;
      };
      const where = [r.database, r.user].filter(Boolean).join(' · ');
      row.append(
        cell(r.query.replace(/\s+/g, ' '), 'query', `${where ? where + '\n' : ''}${r.query}`),
        cell(num(r.calls, 0), 'num'),
        cell(ms(r.totalMs), 'num'),
        cell(ms(r.meanMs), 'num'),
        cell(num(r.rows, 0), 'num'),
        cell(r.pctOfTotal === null ? '–' : `${r.pctOfTotal.toFixed(1)}%`, 'num'),
      );
      const action = document.createElement('vscode-table-cell');
      const button = document.createElement('vscode-button');
      button.textContent = 'Explain';
      button.setAttribute('secondary', '');
      if (r.notExplainable) {
        button.setAttribute('disabled', '');
        action.title = `Cannot explain: ${r.notExplainable}`;
      } else {
        action.title = r.generic ? 'EXPLAIN (GENERIC_PLAN): the statement has $n parameters' : 'EXPLAIN (estimates; the statement does not run)';
        button.addEventListener('click', () => this.onExplain(r.id));
      }
      action.append(button);
      row.append(action);
      body.append(row);
    }
    table.append(header, body);
    this.el.append(table);
  }
}
