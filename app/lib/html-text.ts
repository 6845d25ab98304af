// The text of a piece of our HTML (quiz prompts, choices, lesson sections), for reports, CSV, xAPI
// and word counts: what a reader sees, on one line.

/** Elements that start a new line when rendered; every other element runs on with its neighbours. */
const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
  "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
  "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);

// The build's HTML writers escape &, <, >, " and ' and write every other character as is; the few
// names below cover what an author may still type by hand.
const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", shy: "", ndash: "–", mdash: "—", hellip: "…",
  lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", laquo: "«", raquo: "»", copy: "©", reg: "®", trade: "™", euro: "€",
};

// A tag, with quoted attribute values that may hold ">".
const TAG = /<(\/?)([a-zA-Z][\w-]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z][a-zA-Z\d]*));/g;

function decodeEntity(whole: string, dec?: string, hex?: string, name?: string): string {
  if (name !== undefined) return NAMED[name] ?? whole;
  const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
  // NUL, surrogates and numbers past Unicode are replaced, as HTML parsers do.
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(code);
}

/**
 * Inline elements (em, strong, a, code, span…) join their neighbours without a space, block
 * elements are separated by one; entities are decoded after the tags are gone, so an escaped
 * "&lt;b&gt;" stays text; runs of white space become one space.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(TAG, (_tag, _slash: string, name: string) => (BLOCK.has(name.toLowerCase()) ? " " : ""))
    .replace(ENTITY, decodeEntity)
    .replace(/\s+/g, " ")
    .trim();
}
