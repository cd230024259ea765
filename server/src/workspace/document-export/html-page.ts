import { documentToHtml, escapeHtml, escapeHtmlAttr, type HtmlOptions } from '../content/html.ts';
import type { JSONContent } from '../content/ydoc-json.ts';

/**
 * A complete, standalone HTML document: language, title, UTF-8, a small inline style sheet and
 * a Content-Security-Policy that lets it load nothing from anywhere (images are embedded as
 * `data:` URIs or sit beside it in an archive), so that opening an exported page never calls a
 * server. The body is content/html.ts's safe fragment.
 */
export function htmlPage(json: JSONContent, options: HtmlOptions & { title: string; language: string }): string {
  const body = documentToHtml(json, options);
  return `<!doctype html>
<html lang="${escapeHtmlAttr(options.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline'">
<meta name="generator" content="Entente">
<title>${escapeHtml(options.title)}</title>
<style>
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4, h5, h6 { color: #1f3864; line-height: 1.25; }
a { color: #1f5fad; }
code, pre { font-family: "DejaVu Sans Mono", Consolas, monospace; background: #f3f4f6; }
code { padding: 0 .2em; border-radius: 3px; }
pre { padding: .75rem 1rem; overflow-x: auto; border-radius: 4px; }
pre code { padding: 0; background: none; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 4px solid #a0a0a0; color: #404040; font-style: italic; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #e8ecf2; }
td > p:first-child, th > p:first-child, li > p:first-child { margin-top: 0; }
td > p:last-child, th > p:last-child, li > p:last-child { margin-bottom: 0; }
img { max-width: 100%; height: auto; }
ul.task-list { list-style: none; padding-left: 1.2rem; }
li.task-item > p { display: inline; }
.callout { margin: 1rem 0; padding: .5rem 1rem; border-left: 5px solid #2f6fb5; background: #eaf2fb; }
.callout-warning { border-color: #b7791f; background: #fdf5e6; }
.callout-success { border-color: #2f855a; background: #eaf6ef; }
.callout-danger { border-color: #c53030; background: #fbeaea; }
.callout-label { margin: .25rem 0; }
hr { border: none; border-top: 1px solid #a0a0a0; margin: 1.5rem 0; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
