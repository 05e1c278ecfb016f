// Model output as HTML: Markdown (marked, GitHub flavour) through DOMPurify, so nothing a model
// writes can run script, style the page or load a remote resource (remote images become links).
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

// Raw HTML in model output is shown as text, never parsed: even an inert parse of an inline event
// handler is a CSP violation in Chromium, and nothing a model writes needs to be markup.
const marked = new Marked({ gfm: true, breaks: true, renderer: { html: ({ text }) => escapeHtml(text) } });
const MAX_MARKDOWN_CHARS = 200_000;

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  if (node.tagName === 'IMG') {
    const src = node.getAttribute('src') ?? '';
    // A remote image would be fetched by the operator's browser: a model could use it as a beacon.
    if (!/^data:image\/(png|jpeg|gif|webp);/i.test(src)) {
      const link = node.ownerDocument.createElement('a');
      link.textContent = node.getAttribute('alt') || src;
      if (/^https?:/i.test(src)) {
        link.setAttribute('href', src);
        link.setAttribute('target', '_blank');
        link.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      node.replaceWith(link);
    }
  }
});

export function renderMarkdown(text: string): string {
  const source = text.length > MAX_MARKDOWN_CHARS ? `${text.slice(0, MAX_MARKDOWN_CHARS)}\n\n… (truncated)` : text;
  const html = marked.parse(source, { async: false });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
    ALLOW_DATA_ATTR: false,
  });
}
