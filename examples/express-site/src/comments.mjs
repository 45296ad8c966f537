// The comments box: what visitors write is shown as text, with the URLs in it turned into links and
// images (what a markdown renderer or a sanitiser would keep), and every comment goes through
// untrustedHtml: a private link pasted into a comment is never signed, while the page's own are.
import { untrustedHtml } from '@cfsign/express';

const MAX_COMMENTS = 20;
const MAX_LENGTH = 2000;
const URLISH = /(?:https?:\/\/|\/)[^\s<>"']+/g;
const IMAGE = /\.(?:png|jpe?g|gif|webp|avif)(?:[?#]|$)/i;

const escapeHtml = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** A comment's HTML: escaped text, URLs as `<a href>` (images as `<img src>`). */
export function commentHtml(text) {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(URLISH)) {
    out += escapeHtml(text.slice(at, m.index));
    const url = escapeHtml(m[0]);
    out += IMAGE.test(m[0])
      ? `<img class="pasted" src="${url}" alt="pasted image" width="160">`
      : `<a class="pasted" href="${url}">${url}</a>`;
    at = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(at));
}

/** The comments of one running demo, newest first, kept in memory. */
export function createCommentStore() {
  const comments = [];
  return {
    add(text) {
      const t = String(text ?? '')
        .trim()
        .slice(0, MAX_LENGTH);
      if (t === '') return;
      comments.unshift(t);
      comments.length = Math.min(comments.length, MAX_COMMENTS);
    },
    /** Each comment as HTML inside its untrusted region. */
    html() {
      return comments.map((c) => `<li class="comment">${untrustedHtml(commentHtml(c))}</li>`);
    },
  };
}
