/** The report's stylesheet (inlined: the file must open offline). */
export const REPORT_CSS =
  `
:root { --fg: #1a1a1a; --muted: #5c5c5c; --line: #d0d0d0; --bg: #fff; --panel: #f6f6f4; --err: #b3261e; --warn: ` +
  `#8a5a00; --info: #1f5f99; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); ` +
  `background: var(--bg); }
main { max-width: 1600px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0.2em 0; } h2 { font-size: 1.25rem; margin-top: 1.6em; border-bottom: 1px solid ` +
  `var(--line); } h3 { font-size: 1.05rem; margin: 1.2em 0 0.3em; }
.muted, .note { color: var(--muted); } .note { font-size: 0.9rem; margin: 0 0 0.5em; max-width: 70ch; }
figure { margin: 0; min-width: 0; } figcaption { font-size: 0.85rem; color: var(--muted); }
.grid { display: grid; gap: 12px 20px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); ` +
  `align-items: start; }
svg.chart { width: 100%; height: auto; max-width: 100%; display: block; font: 11px system-ui, sans-serif; }
svg.chart .axis { stroke: #555; } svg.chart .grid { stroke: #e6e6e6; } svg.chart .axis-title { font-weight: ` +
  `600; fill: #333; }
svg.chart text { fill: #333; } svg.chart .row-label { font-size: 10px; }
svg.chart.heatmap { max-width: 900px; }
.legend { list-style: none; padding: 0; margin: 2px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; ` +
  `font-size: 0.85rem; }
.legend svg { vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; font-size: 0.85rem; } th, td { border-bottom: 1px solid var(--line); ` +
  `padding: 3px 8px; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.summary th { color: var(--muted); font-weight: 500; }
.findings { list-style: none; padding: 0; margin: 0; display: grid; gap: 10px; }
.finding { border-left: 5px solid var(--info); background: var(--panel); padding: 6px 12px; border-radius: 3px; }
.finding p { margin: 0.25em 0; } .finding.sev-error { border-color: var(--err); } .finding.sev-warning { ` +
  `border-color: var(--warn); }
.badge { display: inline-block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; padding: ` +
  `0 6px; border-radius: 3px; color: #fff; background: var(--info); }
.sev-error .badge { background: var(--err); } .sev-warning .badge { background: var(--warn); }
.layers { font-size: 0.85rem; color: var(--muted); } .remedies { font-size: 0.9rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; font-size: 0.85rem; margin: 4px 0; } ` +
  `dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
.ok { color: #1b6e3a; } .good { color: #1b6e3a; font-weight: 600; } .bad { color: #a3261b; font-weight: 600; }
.finding.primary { border-left-width: 8px; padding: 8px 14px; }
.side-by-side { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 160px), 1fr)); ` +
  `gap: 10px; }
.side-by-side > div { border: 1px solid var(--line); border-radius: 4px; padding: 2px 5px; font-size: 0.8rem; ` +
  `overflow-wrap: anywhere; }
.side-by-side .grid { grid-template-columns: 1fr; gap: 6px; } .side-by-side .note { display: none; }
.side-by-side .legend { font-size: 0.7rem; gap: 0 8px; } .side-by-side .finding { padding: 4px 6px; }
.side-by-side details summary { cursor: pointer; }
svg.chart .ref-label { font-size: 10px; fill: #555; }
.side-by-side > div { min-width: 0; } .side-by-side h4 { margin: 0.3em 0; font-size: 0.95rem; }
@media (max-width: 640px) { main { padding: 10px; } }
`;
