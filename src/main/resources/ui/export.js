// Export formats. Each entry is one format: add an entry (path, filename, what its last line tells) and it appears
// in the menu. All go through the API with the officer's token; the file is assembled in the browser and saved.
import { apiUrl } from './api.js';
import { h, fmtTime } from './dom.js';

export const EXPORT_FORMATS = [
  {
    id: 'jsonl',
    label: 'JSON Lines (raw events + manifest)',
    path: '/api/v1/export',
    filename: 'datahose-export.jsonl',
    /** @return a summary of the finished file from its last line (the manifest) */
    summarize(lastLine) {
      const manifest = JSON.parse(lastLine).manifest;
      if (!manifest) {
        throw new Error('the export ended without its manifest line: it is incomplete, do not use it');
      }
      return [
        ['Events', String(manifest.count)],
        ['Seq range', manifest.count ? manifest.firstSeq + '–' + manifest.lastSeq : '—'],
        ['SHA-256 of the events', manifest.sha256],
        ['Capture gaps in range', manifest.captureGaps.length ? manifest.captureGaps.map((g) => fmtTime(g.from) + ' – '
          + (g.open ? 'open' : fmtTime(g.to))).join('; ') : 'none'],
      ];
    },
  },
];

/** Runs an export; @return the element to show (summary and a save link). */
export async function runExport(format, params, token) {
  const res = await fetch(apiUrl(format.path, params), {
    headers: { Authorization: 'Bearer ' + token }, cache: 'no-store', credentials: 'omit',
  });
  if (!res.ok) {
    let body = {};
    try {
      body = await res.json();
    } catch (e) {
      // keep the status
    }
    throw new Error(body.detail || ('export refused: HTTP ' + res.status));
  }
  const blob = await res.blob();
  const text = await blob.slice(Math.max(0, blob.size - 65536)).text();
  const lines = text.split('\n').filter((l) => l.length);
  const summary = format.summarize(lines[lines.length - 1] || '{}');
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: format.filename, id: 'export-save', class: 'button' }, 'Save ' + format.filename);
  link.click();
  return h('div', {},
    h('p', { class: 'okay', id: 'export-done' }, 'Export complete (' + blob.size.toLocaleString('en') + ' bytes).'),
    h('dl', { id: 'export-summary' }, summary.map(([k, v]) => [h('dt', {}, k), h('dd', { class: k.includes('SHA') ? 'mono' : null }, v)])),
    link);
}
