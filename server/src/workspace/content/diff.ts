/**
 * Line-level diff of two texts (the Markdown or plain text of a version and of the document now),
 * for the history view. Runs of consecutive lines with the same fate are one block, so that
 * joining the `same` and `removed` blocks with "\n" gives `before` back and the `same` and
 * `added` blocks give `after`.
 *
 * Myers' O(ND) algorithm on lines (hashed to integers), after trimming the common head and tail.
 * It is bounded: past MAX_EDITS differing lines the middle is reported as removed then added as a
 * whole, so that two unrelated 100k-character documents still diff in milliseconds.
 */
export interface DiffBlock {
  op: 'same' | 'added' | 'removed';
  text: string;
}

export const MAX_EDITS = 2000;

type Op = DiffBlock['op'];

export function diffBlocks(before: string, after: string): DiffBlock[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const ids = new Map<string, number>();
  const id = (line: string) => {
    let n = ids.get(line);
    if (n === undefined) {
      n = ids.size;
      ids.set(line, n);
    }
    return n;
  };
  const x = Int32Array.from(a, id);
  const y = Int32Array.from(b, id);

  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;

  const ops: Op[] = [];
  const lines: string[] = [];
  const emit = (op: Op, line: string) => {
    ops.push(op);
    lines.push(line);
  };
  for (let i = 0; i < head; i++) emit('same', a[i] as string);
  const script = myers(x.subarray(head, x.length - tail), y.subarray(head, y.length - tail));
  const middle = script && removalsFirst(script);
  if (middle) {
    let i = head;
    let j = head;
    for (const op of middle) {
      if (op === 'same') {
        emit('same', a[i++] as string);
        j++;
      } else if (op === 'removed') emit('removed', a[i++] as string);
      else emit('added', b[j++] as string);
    }
  } else {
    for (let i = head; i < a.length - tail; i++) emit('removed', a[i] as string);
    for (let j = head; j < b.length - tail; j++) emit('added', b[j] as string);
  }
  for (let i = a.length - tail; i < a.length; i++) emit('same', a[i] as string);

  const blocks: DiffBlock[] = [];
  let run: string[] = [];
  ops.forEach((op, k) => {
    run.push(lines[k] as string);
    if (ops[k + 1] !== op) {
      blocks.push({ op, text: run.join('\n') });
      run = [];
    }
  });
  return blocks;
}

/** Within each run of changes, the removed lines first: reads as "this became that". */
function removalsFirst(ops: Op[]): Op[] {
  const out: Op[] = [];
  let removed = 0;
  let added = 0;
  const flush = () => {
    for (; removed > 0; removed--) out.push('removed');
    for (; added > 0; added--) out.push('added');
  };
  for (const op of ops) {
    if (op === 'removed') removed++;
    else if (op === 'added') added++;
    else {
      flush();
      out.push('same');
    }
  }
  flush();
  return out;
}

/**
 * The shortest edit script from x to y, or null when
 * it needs more than MAX_EDITS edits. Keeps one frontier per edit count (O(D²) memory).
 */
function myers(x: Int32Array, y: Int32Array): Op[] | null {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return [...Array<Op>(n).fill('removed'), ...Array<Op>(m).fill('added')];
  const max = Math.min(n + m, MAX_EDITS);
  // v[k + offset] = furthest x reached on diagonal k; one copy per d for the backtrack.
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let i = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) return backtrack(trace, n, m, d);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number, dEnd: number): Op[] {
  const ops: Op[] = [];
  let i = n;
  let j = m;
  for (let d = dEnd; d > 0; d--) {
    // trace[d] holds v as it was before step d, for diagonals -d-1 … d+1.
    const snapshot = trace[d] as Int32Array;
    const at = (k: number) => snapshot[k + d + 1] as number;
    const k = i - j;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevI = at(prevK);
    const prevJ = prevI - prevK;
    while (i > prevI && j > prevJ) {
      ops.push('same');
      i--;
      j--;
    }
    if (down) {
      ops.push('added');
      j--;
    } else {
      ops.push('removed');
      i--;
    }
  }
  while (i > 0 && j > 0) {
    ops.push('same');
    i--;
    j--;
  }
  return ops.reverse();
}
