// The demo's pages: plain HTML with root-relative links. The middleware signs the private ones.
import { GALLERY } from './media.mjs';

const NAV = [
  ['/', 'Gallery'],
  ['/downloads', 'Downloads'],
  ['/video', 'Video'],
  ['/comments', 'Comments'],
  ['/about', 'How it works'],
];

function layout(path, title, body) {
  const nav = NAV.map(
    ([href, label]) => `<a href="${href}"${href === path ? ' aria-current="page"' : ''}>${label}</a>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · cfsign demo</title>
<link rel="stylesheet" href="/assets/site.css">
<link rel="icon" href="/public/logo.png">
</head>
<body>
<header><img src="/public/logo.png" alt=""><strong>Northwind Media</strong><nav>${nav}</nav></header>
<div class="hero"><h1>${title}</h1></div>
<main>
${body}
</main>
<footer>Private files come from the (local) CloudFront distribution through signed links. Served by Express + cfsign.</footer>
</body>
</html>`;
}

export function galleryPage() {
  const figures = GALLERY.map(
    (img) => `  <figure>
    <img src="/private/gallery/${img.slug}-400.png" srcset="/private/gallery/${img.slug}-400.png 400w, /private/gallery/${img.slug}-800.png 800w" sizes="(max-width: 700px) 100vw, 320px" alt="${img.title}" width="400" height="267">
    <figcaption>${img.title} · private image, signed URL (10 min)</figcaption>
  </figure>`,
  ).join('\n');
  return layout(
    '/',
    'Members gallery',
    `<p>Each image below lives in the private bucket. The page's links were signed on the way out; open one and change a character to see CloudFront's 403.</p>
<div class="grid">
${figures}
</div>`,
  );
}

export function downloadsPage() {
  return layout(
    '/downloads',
    'Downloads',
    `<div class="card">
  <h2>Annual report 2026</h2>
  <p>A private PDF: the link below is signed for one hour and works for anyone who has it until then.</p>
  <p><a id="report" href="/private/downloads/annual-report.pdf" download>Download the PDF</a></p>
</div>
<div class="card">
  <h2>Try a tampered link</h2>
  <p>This button changes one character of the signed link and fetches it.</p>
  <button id="tamper" type="button">Fetch tampered link</button> <span id="tamper-result"></span>
</div>
<script>
document.getElementById('tamper').addEventListener('click', async () => {
  const link = document.getElementById('report').href;
  const broken = link.replace('annual-report', 'annual-reporT');
  const res = await fetch(broken);
  const out = document.getElementById('tamper-result');
  out.textContent = res.status + ' ' + (await res.text()).replace(/<[^>]+>/g, ' ').trim();
  out.className = res.ok ? 'badge' : 'badge denied';
});
</script>`,
  );
}

export function videoPage() {
  return layout(
    '/video',
    'Video',
    `<div class="card">
  <h2>Intro (HLS)</h2>
  <p>The playlist and its segments are covered by <strong>one</strong> wildcard policy (<code>/video/intro/*</code>):
  the playlist link is signed, and the playlist itself is rewritten so every segment carries the same policy.</p>
  <p><a id="playlist" href="/video/intro/index.m3u8">index.m3u8</a></p>
  <table id="segments"><tr><th>segment</th><th>status</th></tr></table>
</div>
<script>
(async () => {
  const table = document.getElementById('segments');
  const res = await fetch(document.getElementById('playlist').href);
  const text = await res.text();
  const uris = text.split('\\n').filter((l) => l && !l.startsWith('#'));
  for (const uri of uris) {
    const seg = await fetch(new URL(uri, res.url));
    const row = table.insertRow();
    row.insertCell().textContent = uri.split('?')[0];
    const cell = row.insertCell();
    cell.innerHTML = '<span class="badge' + (seg.ok ? '' : ' denied') + '">' + seg.status + '</span>';
    row.dataset.status = String(seg.status);
  }
  table.dataset.done = String(res.status);
})();
</script>`,
  );
}

/** @param {string[]} comments each comment's HTML, already in its untrusted region */
export function commentsPage(comments) {
  const list =
    comments.length === 0 ? '<li class="comment empty">No comments yet.</li>' : comments.join('\n');
  return layout(
    '/comments',
    'Comments',
    `<div class="card">
  <h2>The page's own links are signed</h2>
  <p><img id="own-image" src="/private/gallery/lagoon-400.png" alt="Lagoon" width="160"> and
  <a id="own-link" href="/private/downloads/annual-report.pdf">the annual report</a> load: the page put them there.</p>
</div>
<div class="card">
  <h2>Comments</h2>
  <p>Paste a private link, for example <code>/private/gallery/lagoon-400.png</code> or
  <code>/private/downloads/annual-report.pdf</code>. Comments are rendered inside
  <code>untrustedHtml(...)</code>: cfsign signs nothing in them, so CloudFront answers 403. Without it,
  anyone could paste the path of a file that is not theirs and get a valid signed link back.</p>
  <form id="comment-form" method="post" action="/comments">
    <textarea id="comment" name="comment" rows="3" cols="60" maxlength="2000" required></textarea>
    <button type="submit">Post</button>
  </form>
  <ul id="comments">
${list}
  </ul>
</div>`,
  );
}

export function aboutPage() {
  return layout(
    '/about',
    'How it works',
    `<div class="card">
  <h2>The flow</h2>
  <ol>
    <li>Your browser asks the distribution (here the cfsign emulator, standing in for CloudFront) for a page.</li>
    <li>The distribution forwards it to this Express app with a secret origin header; the app refuses anyone else.</li>
    <li>The app renders plain HTML; <code>app.use(cloudfrontSigner(rules))</code> signs every link the rules name, as it streams.</li>
    <li>The distribution checks each signed link against the trusted public key and serves the private bucket, or answers 403.</li>
  </ol>
  <p>This page itself is public. Nothing on it is signed.</p>
</div>`,
  );
}
