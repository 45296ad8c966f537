// Generates the demo's "private bucket" on first run: gallery images in two sizes, a PDF,
// an HLS stream, and a public logo. Nothing binary is committed.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from './png.mjs';

export const GALLERY = [
  { slug: 'aurora', title: 'Aurora', hue: [40, 200, 160] },
  { slug: 'dunes', title: 'Dunes', hue: [230, 170, 90] },
  { slug: 'lagoon', title: 'Lagoon', hue: [40, 140, 220] },
  { slug: 'ember', title: 'Ember', hue: [220, 80, 50] },
  { slug: 'moss', title: 'Moss', hue: [90, 160, 70] },
  { slug: 'dusk', title: 'Dusk', hue: [150, 90, 200] },
];

function picture(width, [r, g, b]) {
  const height = Math.round((width * 2) / 3);
  return encodePng(width, height, (x, y) => {
    const t = y / height;
    const wave = Math.sin((x / width) * Math.PI * 4 + t * 6) * 0.5 + 0.5;
    const k = 0.55 + 0.45 * wave * (1 - t);
    return [Math.round(r * k), Math.round(g * k), Math.round(b * (0.6 + 0.4 * t))];
  });
}

function pdf(text) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 24 Tf 72 760 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function tsSegment(n) {
  // MPEG-TS sized (188-byte packets, sync byte 0x47); content is filler, enough for the flow.
  const buf = Buffer.alloc(188 * 40, 0xff);
  for (let i = 0; i < 40; i++) {
    buf[i * 188] = 0x47;
    buf[i * 188 + 4] = n;
  }
  return buf;
}

/** Creates the bucket folder (idempotent) and returns its path. */
export function ensureBucket(root) {
  if (existsSync(join(root, '.complete'))) return root;
  mkdirSync(join(root, 'private', 'gallery'), { recursive: true });
  mkdirSync(join(root, 'private', 'downloads'), { recursive: true });
  mkdirSync(join(root, 'public'), { recursive: true });
  mkdirSync(join(root, 'video', 'intro'), { recursive: true });
  for (const img of GALLERY) {
    writeFileSync(join(root, 'private', 'gallery', `${img.slug}-400.png`), picture(400, img.hue));
    writeFileSync(join(root, 'private', 'gallery', `${img.slug}-800.png`), picture(800, img.hue));
  }
  writeFileSync(
    join(root, 'private', 'downloads', 'annual-report.pdf'),
    pdf('cfsign demo: a private PDF, served through a signed URL'),
  );
  writeFileSync(
    join(root, 'public', 'logo.png'),
    encodePng(96, 96, (x, y) => ((x - 48) ** 2 + (y - 48) ** 2 < 1600 ? [255, 153, 0] : [35, 47, 62])),
  );
  const segments = [0, 1, 2, 3];
  writeFileSync(
    join(root, 'video', 'intro', 'index.m3u8'),
    `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n${segments.map((n) => `#EXTINF:4.0,\nsegment-${n}.ts\n`).join('')}#EXT-X-ENDLIST\n`,
  );
  for (const n of segments) writeFileSync(join(root, 'video', 'intro', `segment-${n}.ts`), tsSegment(n));
  writeFileSync(join(root, '.complete'), '');
  return root;
}
