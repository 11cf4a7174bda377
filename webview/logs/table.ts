// A sortable, text-filtered table of report rows: a header click sorts (again: reverses), the
// filter box keeps rows whose cells contain the text; both survive a new report (a Refresh, a
// brushed range), so the person's view stays as they left it.
import { clear, h } from '../shared/dom';

export interface Column<R> {
  label: string;
  /** What the column sorts and filters by. */
  value: (r: R) => string | number | undefined;
  /** The cell; the value as text when absent. */
  cell?: (r: R) => Node | string;
  numeric?: boolean;
  /** A wide column that wraps (queries, messages). */
  wide?: boolean;
  title?: string;
}

interface View {
  sort: number;
  descending: boolean;
  filter: string;
}

const views = new Map<string, View>();

export function table<R>(id: string, title: string, columns: Column<R>[], rows: R[], empty: string, defaultSort = 0): HTMLElement {
  const view = views.get(id) ?? { sort: defaultSort, descending: columns[defaultSort]?.numeric ?? false, filter: '' };
  views.set(id, view);
  const section = h('section', { class: 'table-section', 'data-table': id });
  const filter = h('input', { type: 'search', class: 'filter', placeholder: 'Filter', 'aria-label': `Filter ${title}`, value: view.filter });
  const count = h('span', { class: 'count' });
  const body = h('tbody', null);
  const head = h('tr', null);
  const render = () => {
    const needle = view.filter.toLowerCase();
    const col = columns[view.sort]!;
    const shown = rows
      .filter(
        (r) =>
          !needle ||
          columns.some((c) =>
            String(c.value(r) ?? '')
              .toLowerCase()
              .includes(needle),
          ),
      )
      .sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
        return view.descending ? -d : d;
      });
    count.textContent = needle ? `${shown.length} of ${rows.length}` : `${rows.length}`;
    clear(body);
    if (shown.length === 0)
      body.append(h('tr', null, h('td', { class: 'empty', colspan: String(columns.length) }, rows.length ? 'No row matches the filter.' : empty)));
    for (const r of shown) {
      const tr = h('tr', null);
      for (const c of columns)
        tr.append(h('td', { class: `${c.numeric ? 'num' : ''}${c.wide ? ' wide' : ''}` }, c.cell ? c.cell(r) : String(c.value(r) ?? '–')));
      body.append(tr);
    }
    for (const [i, th] of Array.from(head.children).entries())
      th.setAttribute('aria-sort', i === view.sort ? (view.descending ? 'descending' : 'ascending') : 'none');
  };
  for (const [i, c] of columns.entries()) {
    const th = h('th', { class: c.numeric ? 'num' : '', scope: 'col', ...(c.title ? { title: c.title } : {}) }, h('button', { class: 'sort' }, c.label));
    th.addEventListener('click', () => {
      if (view.sort === i) view.descending = !view.descending;
      else {
        view.sort = i;
        view.descending = c.numeric ?? false;
      }
      render();
    });
    head.append(th);
  }
  filter.addEventListener('input', () => {
    view.filter = filter.value;
    render();
  });
  render();
  section.append(
    h('div', { class: 'table-head' }, h('h2', null, title), count, h('span', { class: 'spacer' }), filter),
    h('div', { class: 'table-wrap' }, h('table', null, h('thead', null, head), body)),
  );
  return section;
}
