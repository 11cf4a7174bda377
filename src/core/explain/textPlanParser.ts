// The text format psql prints (with or without ANALYZE, BUFFERS, VERBOSE, SETTINGS, WAL) → RawPlan
// under FORMAT JSON's key names. Structure comes from indentation: a node line is the first line
// or starts with "->"; a "SubPlan n" / "InitPlan n" / "CTE x" header names the node below it;
// every other line is a property of the nearest shallower node, or of the plan at column ≤ root.
import { PlanParseError } from './planTypes';
import { stripPsqlDecoration } from './planPaste';
import type { RawNode, RawPlan } from './rawPlan';
import { parseNodeLabel } from './nodeLabel';
import { parsePropertyLine, parseTopLine } from './textProperties';

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const COST = String.raw`\(cost=${NUM}\.\.${NUM} rows=(\d+) width=(\d+)\)`;
const ACTUAL = String.raw`\((?:actual time=${NUM}\.\.${NUM} rows=${NUM} loops=(\d+)|actual rows=${NUM} loops=(\d+)|(never executed))\)`;
const NODE_RE = new RegExp(String.raw`^(.+?)(?:\s+${COST})?(?:\s+${ACTUAL})?$`);
const SUBPLAN_RE = /^(SubPlan \d+|InitPlan \d+(?: \(returns .*\))?|CTE .+)$/;

interface Frame {
  indent: number;
  node?: RawNode;
  subplan?: string;
}

export function parseTextPlan(input: string): RawPlan {
  const lines = stripPsqlDecoration(input);
  if (lines.length === 0) throw new PlanParseError('the text is empty');
  const stack: Frame[] = [];
  const top: Record<string, unknown> = {};
  let root: RawNode | undefined;
  let rootIndent = 0;
  let section: string | undefined; // "Planning:" / "JIT:" blocks at the top level
  let worker: { indent: number; props: Record<string, unknown> } | undefined;

  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    const arrow = text.startsWith('->');
    if (worker && indent <= worker.indent) worker = undefined;

    if (!root || arrow) {
      const body = arrow ? text.replace(/^->\s*/, '') : text;
      const node = nodeFromLine(body);
      if (!node) throw new PlanParseError(`line ${lines.indexOf(line) + 1} is not a plan node: "${text.slice(0, 80)}"`);
      if (!root) {
        root = node;
        rootIndent = indent;
        stack.push({ indent, node });
        continue;
      }
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      let frame = stack[stack.length - 1];
      if (frame?.subplan !== undefined) {
        const name = frame.subplan;
        node.props['Parent Relationship'] = name.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan';
        node.props['Subplan Name'] = name;
        stack.pop();
        frame = stack[stack.length - 1];
      }
      if (!frame?.node) throw new PlanParseError(`"${text.slice(0, 80)}" has no parent node`);
      frame.node.children.push(node);
      stack.push({ indent, node });
      continue;
    }

    if (indent <= rootIndent) {
      stack.length = 0;
      section = parseTopLine(text, top);
      continue;
    }
    if (stack.length === 0) {
      // Lines under a top-level "Planning:" or "JIT:" header.
      parseTopLine(text, top, section);
      continue;
    }
    if (SUBPLAN_RE.test(text)) {
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      stack.push({ indent, subplan: text });
      continue;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const owner = stack[stack.length - 1]?.node;
    if (!owner) continue;
    const w = /^Worker (\d+):\s*(.*)$/.exec(text);
    if (w) {
      const props: Record<string, unknown> = { 'Worker Number': Number(w[1]) };
      const workers = (owner.props.Workers ??= []) as Record<string, unknown>[];
      workers.push(props);
      worker = { indent, props };
      if (w[2]) parseWorkerRest(w[2], props);
      continue;
    }
    parsePropertyLine(text, worker ? worker.props : owner.props);
  }
  if (!root) throw new PlanParseError('no plan node found');
  return { root, top, format: 'text' };
}

/** Node types as explain.c prints them (ExplainNode's sname), in any major 13–18. */
const NODE_TYPES = new Set(
  (
    'Result|ProjectSet|ModifyTable|Append|Merge Append|Recursive Union|BitmapAnd|BitmapOr|Nested Loop|Merge Join|Hash Join|' +
    'Seq Scan|Sample Scan|Gather|Gather Merge|Index Scan|Index Only Scan|Bitmap Index Scan|Bitmap Heap Scan|Tid Scan|Tid Range Scan|' +
    'Subquery Scan|Function Scan|Table Function Scan|Values Scan|CTE Scan|Named Tuplestore Scan|WorkTable Scan|Foreign Scan|Custom Scan|' +
    'Materialize|Memoize|Sort|Incremental Sort|Group|Aggregate|WindowAgg|Unique|SetOp|LockRows|Limit|Hash'
  ).split('|'),
);

const isNodeType = (t: string): boolean => NODE_TYPES.has(t) || /^(Custom Scan|Foreign (Scan|Insert|Update|Delete))\b/.test(t);

function nodeFromLine(body: string): RawNode | undefined {
  const m = NODE_RE.exec(body);
  if (!m) return undefined;
  const [, label, sc, tc, rows, width, ast, atot, arows, aloops, nrows, nloops, never] = m;
  const props: Record<string, unknown> = parseNodeLabel(label!);
  // Without figures (COSTS OFF) only a node type PostgreSQL prints makes a line a node: else any
  // text that starts with a capital ("SELECT …", "ERROR: …") would pass for a one-node plan.
  if (sc === undefined && ast === undefined && nrows === undefined && never === undefined && !isNodeType(String(props['Node Type']))) return undefined;
  if (sc !== undefined) {
    props['Startup Cost'] = Number(sc);
    props['Total Cost'] = Number(tc);
    props['Plan Rows'] = Number(rows);
    props['Plan Width'] = Number(width);
  }
  if (ast !== undefined) {
    props['Actual Startup Time'] = Number(ast);
    props['Actual Total Time'] = Number(atot);
    props['Actual Rows'] = Number(arows);
    props['Actual Loops'] = Number(aloops);
  } else if (nrows !== undefined) {
    props['Actual Rows'] = Number(nrows);
    props['Actual Loops'] = Number(nloops);
  } else if (never) {
    props['Actual Loops'] = 0;
    props['Actual Rows'] = 0;
  }
  props['_label'] = label;
  return { props, children: [] };
}

/** "Worker 0:  actual time=0.1..2.3 rows=10 loops=1" or "Worker 0:  Sort Method: …". */
function parseWorkerRest(rest: string, props: Record<string, unknown>): void {
  const a = /actual time=([\d.]+)\.\.([\d.]+) rows=([\d.]+) loops=(\d+)/.exec(rest);
  if (a) {
    props['Actual Startup Time'] = Number(a[1]);
    props['Actual Total Time'] = Number(a[2]);
    props['Actual Rows'] = Number(a[3]);
    props['Actual Loops'] = Number(a[4]);
    return;
  }
  parsePropertyLine(rest, props);
}
