/** Plain-language CLI output: French by default, English when LANG says so. */
export const english = (process.env.LANG ?? '').toLowerCase().startsWith('en');
export const say = (fr: string, en: string): string => (english ? en : fr);

export interface CheckLine {
  ok: boolean | 'skipped';
  label: string;
  detail: string;
  fix?: string;
}

export function printCheck(line: CheckLine): void {
  const mark = line.ok === 'skipped' ? '–' : line.ok ? '✓' : '✗';
  console.log(`${mark} ${line.label}: ${line.detail}`);
  if (line.ok === false && line.fix) console.log(`    → ${say('Que faire', 'Fix')}: ${line.fix}`);
}
