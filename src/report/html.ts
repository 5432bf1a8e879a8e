import { PROTECTION_LEVELS } from '../model/levels.js';
import type { Finding, Report } from '../model/report.js';
import type { RulesIndex } from '../model/rules-index.js';
import { FINDING_STATUSES, SEVERITIES } from '../model/severity.js';

/**
 * One self-contained HTML file (no network fetch, no external script, style
 * sheet or font: it opens from disk in an air-gapped audit room): scores,
 * two inline SVG charts (resources by protection level per service, failing
 * findings by severity), what needs attention, a filterable and sortable
 * table of every finding with its why and fix, the keys view, the waivers,
 * and what could not be read. Renders the report as computed; the only
 * arithmetic here is the charts' geometry. The findings travel as one JSON
 * block the page's script renders page by page, so a report of 100,000
 * resources stays one file a browser opens.
 */

const LEVEL_COLOURS: Record<string, string> = {
  none: '#c62828',
  'aws-owned': '#f9a825',
  'aws-managed': '#fbc02d',
  'customer-managed': '#2e7d32',
  'customer-managed-imported': '#43a047',
  'customer-managed-hsm': '#1b5e20',
  unknown: '#8e24aa',
};
const SEVERITY_COLOURS: Record<string, string> = { critical: '#b71c1c', high: '#e53935', medium: '#fb8c00', low: '#039be5', info: '#757575' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
const e = escapeHtml;

/** JSON inside <script type="application/json">: `<` escaped so no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function levelChart(report: Report): string {
  const rows = Object.entries(report.summary.byService).filter(([, s]) => s.resources > 0);
  const barW = 520;
  const rowH = 26;
  const left = 90;
  const h = rows.length * rowH + 40;
  const max = Math.max(1, ...rows.map(([, s]) => s.resources));
  const parts: string[] = [];
  rows.forEach(([service, s], i) => {
    const y = 10 + i * rowH;
    parts.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${e(service)}</text>`);
    let x = left;
    for (const level of PROTECTION_LEVELS) {
      const n = s.byLevel[level];
      if (!n) continue;
      const w = (n / max) * barW;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${LEVEL_COLOURS[level]}"><title>${e(service)}: ${n} ${e(level)}</title></rect>`);
      x += w;
    }
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 15}">${s.resources}</text>`);
  });
  const legend = PROTECTION_LEVELS.map((l, i) => `<rect x="${i * 96}" y="${h - 20}" width="10" height="10" fill="${LEVEL_COLOURS[l]}"/><text x="${i * 96 + 14}" y="${h - 11}">${e(l.replace('customer-managed', 'cmk'))}</text>`).join('');
  return `<svg role="img" aria-label="Resources by protection level per service" viewBox="0 0 ${Math.max(left + barW + 60, 7 * 96)} ${h}" width="${Math.max(left + barW + 60, 7 * 96)}" height="${h}">${parts.join('')}${legend}</svg>`;
}

function severityChart(report: Report): string {
  const w = 60;
  const hMax = 140;
  const max = Math.max(1, ...SEVERITIES.map((s) => report.summary.bySeverity[s]));
  const bars = SEVERITIES.map((s, i) => {
    const n = report.summary.bySeverity[s];
    const h = (n / max) * hMax;
    const x = 20 + i * (w + 20);
    return `<rect x="${x}" y="${(24 + hMax - h).toFixed(1)}" width="${w}" height="${h.toFixed(1)}" fill="${SEVERITY_COLOURS[s]}"><title>${n} failing ${s}</title></rect><text x="${x + w / 2}" y="${hMax + 40}" text-anchor="middle">${s}</text><text x="${x + w / 2}" y="${(19 + hMax - h).toFixed(1)}" text-anchor="middle">${n}</text>`;
  });
  return `<svg role="img" aria-label="Failing findings by severity" viewBox="0 0 420 ${hMax + 50}" width="420" height="${hMax + 50}">${bars.join('')}</svg>`;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c1c1c;background:#fafafa}
header,main{max-width:1280px;margin:0 auto;padding:12px 24px}header{background:#263238;color:#fff;max-width:none}
h1{font-size:20px;margin:4px 0}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eceff1;cursor:default}th[data-sort]{cursor:pointer}th[data-sort]:after{content:" \\2195";color:#90a4ae}
code,.arn{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.sev-critical{color:#b71c1c;font-weight:700}.sev-high{color:#e53935;font-weight:600}.sev-medium{color:#ef6c00}.sev-low{color:#0277bd}.sev-info{color:#616161}
.st-fail{color:#c62828}.st-unknown{color:#8e24aa}.st-pass{color:#2e7d32}.st-suppressed,.st-not-applicable{color:#757575}
.counts span{display:inline-block;margin:0 12px 6px 0;padding:4px 8px;background:#fff;border:1px solid #ddd;border-radius:4px}
.filters{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.filters label{font-size:12px}select,input{font:inherit;padding:2px 4px}
.charts{display:flex;flex-wrap:wrap;gap:24px}svg text{font-size:11px;fill:#333}.outcome{font-weight:600}details{margin:2px 0}
.grade{font-weight:700}.muted{color:#757575}`;

/* The page's script: filters, sorting and paging of the findings table. Plain ES2017, no library. */
const SCRIPT = `(function(){
var data=JSON.parse(document.getElementById('atrest-data').textContent);
var F=data.findings,L=data.lookups;var body=document.getElementById('findings-body');var shown=document.getElementById('findings-shown');
var sel={severity:document.getElementById('f-severity'),status:document.getElementById('f-status'),service:document.getElementById('f-service'),rule:document.getElementById('f-rule')};
var q=document.getElementById('f-text');var more=document.getElementById('findings-more');var sortKey=null,sortDir=1,limit=200;
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]})}
function val(r,k){switch(k){case'severity':return r[0];case'status':return r[1];case'service':return L.services[r[2]];case'rule':return L.rules[r[3]];case'resource':return r[4];}return''}
function matches(r){if(sel.severity.value&&L.severities[r[0]]!==sel.severity.value)return false;if(sel.status.value&&L.statuses[r[1]]!==sel.status.value)return false;
if(sel.service.value&&L.services[r[2]]!==sel.service.value)return false;if(sel.rule.value&&L.rules[r[3]]!==sel.rule.value)return false;
var t=q.value.trim().toLowerCase();if(t&&r[4].toLowerCase().indexOf(t)<0&&r[5].toLowerCase().indexOf(t)<0)return false;return true}
function render(){var rows=[];for(var i=0;i<F.length;i++)if(matches(F[i]))rows.push(F[i]);
if(sortKey){rows.sort(function(a,b){var x=val(a,sortKey),y=val(b,sortKey);return(x<y?-1:x>y?1:0)*sortDir})}
var html=[];for(var j=0;j<rows.length&&j<limit;j++){var r=rows[j],sev=L.severities[r[0]],st=L.statuses[r[1]];
html.push('<tr class="finding" data-status="'+st+'" data-severity="'+sev+'"><td class="sev-'+sev+'">'+sev+'</td><td class="st-'+st+'">'+st+(r[7]?' <span class="muted">('+esc(r[7])+')</span>':'')+'</td><td>'+esc(L.services[r[2]])+'</td><td><code>'+esc(L.rules[r[3]])+'</code></td><td class="arn">'+esc(r[4])+'</td><td><details><summary>'+esc(r[5].length>90?r[5].slice(0,90)+'\\u2026':r[5])+'</summary><p><b>Why:</b> '+esc(r[5])+'</p>'+(L.rationale[r[3]]?'<p class="muted">'+esc(L.rationale[r[3]])+'</p>':'')+(r[6]?'<p><b>Fix:</b> '+esc(r[6])+'</p>':'')+'</details></td></tr>')}
body.innerHTML=html.join('');shown.textContent=String(rows.length);more.hidden=rows.length<=limit;more.textContent='show '+Math.min(500,rows.length-limit)+' more of '+(rows.length-limit)}
['severity','status','service','rule'].forEach(function(k){sel[k].addEventListener('change',function(){limit=200;render()})});q.addEventListener('input',function(){limit=200;render()});
more.addEventListener('click',function(){limit+=500;render()});
Array.prototype.forEach.call(document.querySelectorAll('th[data-sort]'),function(th){th.addEventListener('click',function(){var k=th.getAttribute('data-sort');sortDir=sortKey===k?-sortDir:1;sortKey=k;render()})});
render()})();`;

/** The distinct values of `pick` over the findings, sorted (consecutive findings mostly share them). */
function distinct(findings: readonly Finding[], pick: (f: Finding) => string): string[] {
  const seen = new Set<string>();
  let last: string | undefined;
  for (const f of findings) {
    const value = pick(f);
    if (value !== last) seen.add((last = value));
  }
  return [...seen].sort();
}

export function* htmlChunks(report: Report, index: RulesIndex): Generator<string> {
  const scan = report.scan;
  const o = report.outcome;
  const rationale = new Map(index.rules.map((r) => [r.id, r.rationale]));
  const services = distinct(report.findings, (f) => f.service);
  const rules = distinct(report.findings, (f) => f.ruleId);
  const serviceIndex = new Map(services.map((s, i) => [s, i]));
  const ruleIndex = new Map(rules.map((r, i) => [r, i]));
  const severityIndex = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
  const statusIndex = new Map<string, number>(FINDING_STATUSES.map((s, i) => [s, i]));

  yield `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`;
  // No network: the policy forbids every fetch; scripts and styles only inline.
  yield `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`;
  yield `<title>atrest report · account ${e(scan.accountId)} · ${e(scan.finishedAt)}</title><style>${STYLE}</style></head><body>\n`;
  yield `<header><h1>atrest: encryption at rest · account ${e(scan.accountId)}</h1><div>${e(scan.principalArn)} · regions ${e(scan.regions.join(', ') || '-')} · services ${e(scan.services.join(', '))} · policy ${e(report.policy.name)} · scanned ${e(scan.startedAt)} → ${e(scan.finishedAt)}</div>`;
  yield `<div class="outcome" id="outcome" data-exit-code="${o.exitCode}">exit ${o.exitCode}: ${e(o.reason)} (--fail-on ${e(o.failOn)})</div></header>\n<main>\n`;

  const t = report.summary.byStatus;
  yield `<section id="counts"><h2>Findings</h2><div class="counts">${FINDING_STATUSES.map((s) => `<span class="st-${s}">${s} <b data-count="${s}">${t[s]}</b></span>`).join('')}<span>resources <b data-count="resources">${report.resources.length}</b></span><span>keys <b data-count="keys">${report.keys.length}</b></span></div>`;
  if (report.baseline) {
    const b = report.baseline.counts;
    yield `<p id="baseline">Baseline of ${e(report.baseline.finishedAt)}: <b data-count="new">${b.new}</b> new, <b data-count="existing">${b.existing}</b> existing, <b data-count="resolved">${b.resolved}</b> resolved.</p>`;
  }
  yield `</section>\n`;

  if (report.scores) {
    const s = report.scores;
    yield `<section id="scores"><h2>Scores</h2><p>Account <span class="grade" data-score="account">${s.account.score} ${s.account.grade}</span>${s.account.cap ? ` <span class="muted">(${e(s.account.cap)})</span>` : ''}</p><table><thead><tr><th>service</th><th>score</th><th>grade</th><th>resources</th><th>cap</th></tr></thead><tbody>`;
    for (const [service, g] of Object.entries(s.byService)) yield `<tr><td>${e(service)}</td><td>${g.score}</td><td class="grade">${g.grade}</td><td>${g.resources}</td><td>${e(g.cap ?? '')}</td></tr>`;
    yield `</tbody></table></section>\n`;
  }
  yield `<section id="charts"><h2>Protection levels and failing severities</h2><div class="charts">${levelChart(report)}${severityChart(report)}</div></section>\n`;

  const items = report.triage?.items ?? [];
  if (items.length > 0) {
    yield `<section id="attention"><h2>Needs attention (${items.length})</h2><ol>`;
    for (const item of items.slice(0, 50)) {
      const fs = item.findings.map((i) => report.findings[i]!);
      const head = item.cause ? e(item.cause.summary) : `<code>${e(fs[0]!.ruleId)}</code> <span class="arn">${e(fs[0]!.resourceArn)}</span>: ${e(fs[0]!.message)}`;
      const members = item.cause ? `<ul>${fs.map((f) => `<li><code>${e(f.ruleId)}</code> <span class="arn">${e(f.resourceArn)}</span>: ${e(f.message)}</li>`).join('')}</ul>` : '';
      const fix = fs.find((f) => f.remediation)?.remediation;
      yield `<li><span class="sev-${item.severity}">${item.severity}</span> ${item.status === 'unknown' ? '<span class="st-unknown">unknown</span> ' : ''}${head}${item.dueReason ? ` <b>${e(item.dueReason)}</b>` : ''}${members}${fix ? `<div><b>Fix:</b> ${e(fix.summary)}${fix.cli ? ` <code>${e(fix.cli)}</code>` : ''}</div>` : ''}</li>`;
    }
    if (items.length > 50) yield `<li class="muted">… and ${items.length - 50} more in the table below</li>`;
    yield `</ol></section>\n`;
  }

  const options = (values: readonly string[]) => values.map((v) => `<option>${e(v)}</option>`).join('');
  yield `<section id="findings"><h2>All findings (<span id="findings-shown">${report.findings.length}</span> of <span id="findings-total">${report.findings.length}</span> shown)</h2>`;
  yield `<div class="filters"><label>severity <select id="f-severity"><option value="">all</option>${options(SEVERITIES)}</select></label><label>status <select id="f-status"><option value="">all</option>${options(FINDING_STATUSES)}</select></label>`;
  yield `<label>service <select id="f-service"><option value="">all</option>${options(services)}</select></label><label>rule <select id="f-rule"><option value="">all</option>${options(rules)}</select></label><label>resource or text <input id="f-text" type="search"></label></div>`;
  yield `<table id="findings-table"><thead><tr><th data-sort="severity">severity</th><th data-sort="status">status</th><th data-sort="service">service</th><th data-sort="rule">rule</th><th data-sort="resource">resource</th><th>why and fix</th></tr></thead><tbody id="findings-body"></tbody></table><button id="findings-more" type="button" hidden>more</button></section>\n`;

  yield `<section id="keys"><h2>KMS keys (${report.keys.length})</h2><table><thead><tr><th>key</th><th>region</th><th>manager</th><th>state</th><th>rotation</th><th>dependants</th><th>$/month</th></tr></thead><tbody>`;
  for (let i = 0; i < report.keys.length; i += 1) {
    const k = report.keys[i]!;
    const rotation = k.rotation.enabled === null ? 'unknown' : k.rotation.enabled ? `on${k.rotation.periodDays ? `, ${k.rotation.periodDays} days` : ''}` : k.rotation.applicable ? 'off' : 'n/a';
    const deps = Object.entries(k.dependentsByService).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
    yield `<tr><td>${e(k.aliases[0] ?? k.keyId)}<div class="arn">${e(k.arn)}</div></td><td>${e(k.region)}</td><td>${e(k.manager)}</td><td>${e(k.state)}</td><td>${e(rotation)}</td><td>${e(deps)}</td><td>${k.monthlyCostUsd === null ? 'unknown' : k.monthlyCostUsd.toFixed(2)}</td></tr>`;
  }
  yield `</tbody></table><p>Estimated key charges: $${report.cost.monthlyKeyChargesUsd.toFixed(2)} ${e(report.cost.currency)} a month${report.cost.complete ? '' : ' or more'} (${e(report.cost.prices.source)}, checked ${e(report.cost.prices.checked)}). ${e(report.cost.requestCharges)}</p></section>\n`;

  const waivers = report.waivers ?? [];
  yield `<section id="waivers"><h2>Waivers (${waivers.length})</h2>`;
  if (waivers.length === 0) yield `<p class="muted">The policy has no waivers.</p>`;
  else {
    yield `<table><thead><tr><th>status</th><th>rule</th><th>resource</th><th>owner</th><th>expires</th><th>matched</th><th>reason</th></tr></thead><tbody>`;
    for (const w of waivers) yield `<tr><td>${e(w.status)}</td><td><code>${e(w.rule)}</code></td><td class="arn">${e(w.resource)}</td><td>${e(w.owner)}</td><td>${e(w.expires)}</td><td>${w.matched}</td><td>${e(w.reason)}</td></tr>`;
    yield `</tbody></table>`;
  }
  yield `</section>\n`;

  yield `<section id="unread"><h2>What could not be read (${scan.errors.length} failed call(s), ${t.unknown} unknown result(s))</h2>`;
  if (scan.errors.length === 0) yield `<p>Every call the scan made succeeded.</p>`;
  else {
    yield `<table><thead><tr><th>service</th><th>region</th><th>operation</th><th>code</th><th>resource</th><th>message</th></tr></thead><tbody>`;
    for (const err of scan.errors) yield `<tr><td>${e(err.service)}</td><td>${e(err.region)}</td><td>${e(err.operation)}</td><td>${e(err.code)}</td><td class="arn">${e(err.resourceArn ?? '')}</td><td>${e(err.message)}</td></tr>`;
    yield `</tbody></table>`;
  }
  yield `</section>\n</main>\n`;

  // The findings as compact rows: [severity, status, service, rule, resource, why, fix, baseline].
  yield `<script type="application/json" id="atrest-data">{"lookups":${scriptJson({ severities: SEVERITIES, statuses: FINDING_STATUSES, services, rules, rationale: Object.fromEntries(rules.map((r) => [r, rationale.get(r) ?? ''])) })},"findings":[`;
  for (let i = 0; i < report.findings.length; i += 1000) {
    const rows = report.findings.slice(i, i + 1000).map((f) => [severityIndex.get(f.severity), statusIndex.get(f.status), serviceIndex.get(f.service), ruleIndex.get(f.ruleId), f.resourceArn, f.message, f.remediation?.summary ?? '', f.baseline ?? '']);
    // A thousand rows as one array, without its brackets: the same text as each row's scriptJson joined by commas.
    yield `${i > 0 ? ',' : ''}${scriptJson(rows).slice(1, -1)}`;
  }
  yield `]}</script>\n<script>${SCRIPT}</script>\n</body></html>\n`;
}
