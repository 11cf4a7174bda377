// One figure of a summary row (figures.css): its label above, the value, a note under it.
import { h } from './dom';

export const stat = (label: string, value: string, note?: string, cls?: string): HTMLElement =>
  h(
    'div',
    { class: 'stat' },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: `stat-value${cls ? ` ${cls}` : ''}` }, value),
    note ? h('div', { class: 'stat-note' }, note) : null,
  );
