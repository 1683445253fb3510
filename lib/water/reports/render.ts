/**
 * W-30: a report's files rendered from its archived figures (ReportData) alone, through localise.ts, in one or
 * more languages one after the other (the archived files: Kazakh, then Russian; a download: the chosen one):
 * CSV (RFC 4180, UTF-8 with a BOM so that Excel reads the Cyrillic), XLSX (one sheet per section and language)
 * and PDF (A4, DejaVu Sans for the Cyrillic and the Kazakh letters, a table per section, the generation time in
 * Astana time with the zone).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import ExcelJS from 'exceljs';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Locale } from '@/lib/i18n/config';
import type { ReportData } from './build';
import { ARCHIVE_LOCALES, localiseReport, reportLocales, type Plain, type ResolvedReport } from './localise';

type Cell = Plain;

// ---- CSV ------------------------------------------------------------------------------------------------

const BOM = '\uFEFF';

function csvField(v: Cell): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function csvLine(cells: Cell[]): string {
  return cells.map(csvField).join(',');
}

/**
 * One CSV file: per language a title line, the header lines and an empty line, then per section a line with the
 * section's title, its header and its rows, sections separated by an empty line. CRLF line ends (RFC 4180).
 */
export function renderCsv(versions: ResolvedReport[]): Buffer {
  const lines: string[] = [];
  for (const d of versions) {
    lines.push(csvLine([d.title]), ...d.headerLines.map((h) => csvLine([h])), '');
    for (const s of d.sections) {
      lines.push(csvLine([s.title]), csvLine(s.columns), ...s.rows.map(csvLine), '');
    }
  }
  return Buffer.from(BOM + lines.join('\r\n'), 'utf8');
}

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF or LF); strips a leading BOM. */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

// ---- XLSX -----------------------------------------------------------------------------------------------

/** Excel sheet names: at most 31 characters, none of : \\ / ? * [ ], unique; `suffix` marks the language. */
function sheetName(title: string, used: Set<string>, suffix = ''): string {
  const room = 31 - suffix.length;
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, Math.min(28, room)).trim() || 'Лист';
  let name = `${base}${suffix}`;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, room - 3)} ${i}${suffix}`;
  used.add(name.toLowerCase());
  return name;
}

export async function renderXlsx(versions: ResolvedReport[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Bir Tereze';
  // Fixed dates: the workbook's metadata is part of the archived bytes.
  wb.created = new Date(versions[0].generatedAt);
  wb.modified = new Date(versions[0].generatedAt);
  const used = new Set<string>();
  for (const d of versions) {
    const suffix = versions.length > 1 ? ` (${d.locale})` : '';
    for (const s of d.sections) {
      const ws = wb.addWorksheet(sheetName(s.title, used, suffix));
      ws.addRow([d.title]).font = { bold: true };
      for (const h of d.headerLines) ws.addRow([h]);
      ws.addRow([]);
      ws.addRow([s.title]).font = { bold: true };
      ws.addRow(s.columns).font = { bold: true };
      for (const r of s.rows) ws.addRow(r.map((c) => (c === null ? '' : c)));
      ws.columns.forEach((col, i) => {
        col.width = Math.min(60, Math.max(12, ...[s.columns[i] ?? '', ...s.rows.map((r) => String(r[i] ?? ''))].map((x) => x.length + 2)));
      });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- PDF ------------------------------------------------------------------------------------------------

const FONT_DIR = () => path.join(process.cwd(), 'lib/water/reports/fonts');
let fontCache: Promise<[Uint8Array, Uint8Array]> | null = null;
function fonts(): Promise<[Uint8Array, Uint8Array]> {
  fontCache ??= Promise.all([fs.readFile(path.join(FONT_DIR(), 'DejaVuSans.ttf')), fs.readFile(path.join(FONT_DIR(), 'DejaVuSans-Bold.ttf'))]);
  return fontCache;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const SIZE = 8;
const LINE = 10;

/** Splits text into lines that fit `width` (by words, breaking over-long words). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const word of para.split(' ')) {
      const next = cur ? `${cur} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width) {
        cur = next;
        continue;
      }
      if (cur) lines.push(cur);
      cur = word;
      while (font.widthOfTextAtSize(cur, size) > width && cur.length > 1) {
        let n = cur.length - 1;
        while (n > 1 && font.widthOfTextAtSize(cur.slice(0, n), size) > width) n--;
        lines.push(cur.slice(0, n));
        cur = cur.slice(n);
      }
    }
    lines.push(cur);
  }
  return lines;
}

export async function renderPdf(versions: ResolvedReport[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await fonts();
  const regular = await doc.embedFont(regularBytes, { subset: true });
  const bold = await doc.embedFont(boldBytes, { subset: true });
  doc.setTitle(versions.map((v) => v.title).join(' / '));
  doc.setLanguage(versions[0].locale);
  doc.setProducer('Bir Tereze');
  doc.setCreator('Bir Tereze');
  doc.setCreationDate(new Date(versions[0].generatedAt));
  doc.setModificationDate(new Date(versions[0].generatedAt));

  const usable = A4[0] - 2 * MARGIN;
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const newPage = () => {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  };
  const text = (s: string, font: PDFFont, size: number, x = MARGIN, width = usable) => {
    for (const line of wrap(s, font, size, width)) {
      if (y - size < MARGIN) newPage();
      y -= size + 3;
      page.drawText(line, { x, y, size, font });
    }
  };

  versions.forEach((d, vi) => {
    // Each language starts on a page of its own.
    if (vi > 0) newPage();
    text(d.title, bold, 13);
    for (const h of d.headerLines) text(h, regular, 9);
    y -= 8;

    for (const s of d.sections) {
      if (y - 40 < MARGIN) newPage();
      y -= 6;
      text(s.title, bold, 11);
      y -= 2;
      const n = Math.max(1, s.columns.length);
      // The first column (names, texts) gets a double share of the width.
      const weights: number[] = s.columns.map((_, i) => (i === 0 || (s.key === 'recommendations' && i === 1) ? 2 : 1));
      if (s.key === 'recommendations') weights[0] = 0.3;
      const sum = weights.reduce((a, b) => a + b, 0) || n;
      const widths = weights.map((w) => (usable * w) / sum);
      const drawRow = (cells: Cell[], font: PDFFont, shade: boolean) => {
        const wrapped = cells.map((c, i) => wrap(c === null ? '—' : String(c), font, SIZE, widths[i] - 4));
        const h = Math.max(...wrapped.map((w) => w.length)) * LINE + 4;
        if (y - h < MARGIN) newPage();
        if (shade) page.drawRectangle({ x: MARGIN, y: y - h, width: usable, height: h, color: rgb(0.92, 0.94, 0.97) });
        let x = MARGIN;
        wrapped.forEach((lines, i) => {
          lines.forEach((line, j) => page.drawText(line, { x: x + 2, y: y - 2 - SIZE - j * LINE, size: SIZE, font }));
          x += widths[i];
        });
        page.drawLine({ start: { x: MARGIN, y: y - h }, end: { x: MARGIN + usable, y: y - h }, thickness: 0.3, color: rgb(0.6, 0.6, 0.6) });
        y -= h;
      };
      drawRow(s.columns, bold, true);
      if (s.rows.length === 0) text(d.noData, regular, SIZE);
      for (const r of s.rows) drawRow(r, regular, false);
    }
  });
  return Buffer.from(await doc.save());
}

export type RenderedFiles = { pdf: Buffer; xlsx: Buffer; csv: Buffer };

/** The archived files: every format in both state languages (kk, then ru), from the data alone. */
export async function renderAll(d: ReportData): Promise<RenderedFiles> {
  const locales = reportLocales(d).filter((l) => (ARCHIVE_LOCALES as readonly string[]).includes(l));
  const versions = locales.map((l) => localiseReport(d, l));
  const [pdf, xlsx] = await Promise.all([renderPdf(versions), renderXlsx(versions)]);
  return { pdf, xlsx, csv: renderCsv(versions) };
}

/** One format in one language, rendered at download from the archived data (marked as such). */
export async function renderLocalised(
  d: ReportData,
  locale: Locale,
  format: ReportFormat,
  from: { id: string; archivedSha256: string },
): Promise<Buffer> {
  const v = [localiseReport(d, locale, { renderedFrom: from })];
  return format === 'pdf' ? renderPdf(v) : format === 'xlsx' ? renderXlsx(v) : renderCsv(v);
}

export const CONTENT_TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;
export type ReportFormat = keyof typeof CONTENT_TYPES;
export const REPORT_FORMATS = Object.keys(CONTENT_TYPES) as ReportFormat[];
