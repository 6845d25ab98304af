// Compiles one lesson file (base or edition) with mdx-bundler and renders each `##` section to HTML.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { slug as slugify } from "github-slugger";
import type { Heading, Root, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { bundleMDX } from "mdx-bundler";
import { getMDXComponent } from "mdx-bundler/client/index.js";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import rehypeSlug from "rehype-slug";
import remarkGfm from "remark-gfm";
import { visit } from "unist-util-visit";
import { ALLOWED_HTML, COMPONENT_RULES, MdxRenderContext, mdxComponents } from "~/components/mdx";
import { htmlToText } from "~/lib/html-text";
import {
  frontmatterSchema,
  RESERVED_SECTION_IDS,
  type Frontmatter,
  type GlossaryEntry,
  type Section,
  type SourceRef,
} from "~/content/schema";
import { Problems } from "./problems";
import { mergeSources, mergeTerms, type Cited } from "./references";
import { parseYaml, validate } from "./yaml";

export interface CompiledLesson {
  frontmatter: Frontmatter;
  sections: Section[];
  glossary: GlossaryEntry[];
  sources: SourceRef[];
  wordCount: number;
  /** Every key term and source as written, with its line, for the course-wide merge. */
  cited: { terms: Cited<GlossaryEntry>[]; sources: Cited<SourceRef>[] };
  /** Images referenced: src as written → file name it is published under. */
  assets: Record<string, string>;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

interface MdxNode {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  position?: { start: { line: number; column: number; offset?: number }; end: { line: number; column: number; offset?: number } };
  children?: MdxNode[];
}

export function wordCount(html: string): number {
  return htmlToText(html)
    .split(" ")
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export async function compileLesson({
  file,
  displayPath,
  slug,
  objectiveIds,
}: {
  file: string;
  displayPath: string;
  slug: string;
  objectiveIds: Set<string>;
}): Promise<{ lesson?: CompiledLesson; problems: Problems; orderLine: number }> {
  const problems = new Problems(displayPath);
  const source = fs.readFileSync(file, "utf8");
  const moduleDir = path.dirname(file).endsWith(`${path.sep}editions`) ? path.dirname(path.dirname(file)) : path.dirname(file);

  const match = FRONTMATTER.exec(source);
  if (!match) {
    problems.error(1, 1, "a lesson must start with frontmatter between two '---' lines (title, summary, order, objectives, estimatedMinutes)");
    return { problems, orderLine: 1 };
  }
  const parsed = parseYaml(match[1] ?? "", problems, 1);
  const frontmatter = validate(frontmatterSchema, parsed, problems, "frontmatter");
  const orderLine = parsed.locate(["order"]).line;
  frontmatter?.objectives.forEach((o, i) => {
    if (!objectiveIds.has(o)) {
      const at = parsed.locate(["objectives", i]);
      problems.error(at.line, at.column, `frontmatter: unknown objective "${o}"; course.yml defines ${[...objectiveIds].join(", ")}`);
    }
  });

  const sections: { id: string; title: string }[] = [];
  const cite = <T>(value: T, line: number): Cited<T> => ({ value, module: slug, file: displayPath, line });
  const inlineSources: Cited<SourceRef>[] = [];
  const termLines = new Map<string, number>();
  const assets: Record<string, string> = {};
  const sectionIds = frontmatter?.sectionIds ?? {};

  const checkNodes = () => (tree: Root) => {
    visit(tree as unknown as MdxNode, (node: MdxNode) => {
      const at = node.position?.start ?? { line: 1, column: 1 };
      if (node.type === "mdxjsEsm") {
        problems.error(at.line, at.column, "import and export are not allowed: the lesson components are available without importing them");
      } else if (node.type === "mdxFlowExpression" || node.type === "mdxTextExpression") {
        problems.error(at.line, at.column, "curly braces start code in MDX, which lessons cannot contain; write \\{ and \\} for literal braces");
      } else if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
        checkElement(node, at);
      }
    });
  };

  const checkElement = (node: MdxNode, at: { line: number; column: number }) => {
    const name = node.name ?? "";
    if (!name) {
      problems.error(at.line, at.column, "empty tags <>…</> are not allowed");
      return;
    }
    if (/^[a-z]/.test(name)) {
      if (!ALLOWED_HTML.includes(name)) {
        problems.error(at.line, at.column, `HTML element <${name}> is not allowed: use Markdown or one of the components (${Object.keys(COMPONENT_RULES).join(", ")})`);
      }
      return;
    }
    const rules = COMPONENT_RULES[name];
    if (!rules) {
      problems.error(at.line, at.column, `unknown component <${name}>; the components are ${Object.keys(COMPONENT_RULES).join(", ")}`);
      return;
    }
    const given = new Map<string, string>();
    for (const attribute of node.attributes ?? []) {
      if (attribute.type !== "mdxJsxAttribute" || !attribute.name) {
        problems.error(at.line, at.column, `<${name}>: write each prop as name="text"`);
        continue;
      }
      if (!(attribute.name in rules)) {
        problems.error(at.line, at.column, `<${name}> has no prop "${attribute.name}"; its props are ${Object.keys(rules).join(", ") || "none"}`);
        continue;
      }
      if (typeof attribute.value !== "string") {
        problems.error(at.line, at.column, `<${name}> prop "${attribute.name}" must be text in double quotes, e.g. ${attribute.name}="…"`);
        continue;
      }
      given.set(attribute.name, attribute.value);
    }
    for (const [prop, rule] of Object.entries(rules)) {
      const value = given.get(prop);
      if (rule.required && !value?.trim()) {
        const hint = name === "Figure" && prop === "alt" ? ": describe the image for readers who cannot see it" : "";
        problems.error(at.line, at.column, `<${name}> needs ${prop}="…"${hint}`);
      } else if (value !== undefined && rule.values && !rule.values.includes(value)) {
        problems.error(at.line, at.column, `<${name}> ${prop}="${value}" is not one of: ${rule.values.join(", ")}`);
      }
    }
    if (name === "KeyTerm" && node.type === "mdxJsxTextElement") {
      node.attributes?.push({ type: "mdxJsxAttribute", name: "inline", value: "true" });
    }
    const term = name === "KeyTerm" ? given.get("term") : undefined;
    if (term && !termLines.has(term)) termLines.set(term, at.line);
    if (name === "Source" && given.get("title")) {
      const year = given.get("year");
      inlineSources.push(
        cite(
          {
            title: given.get("title") ?? "",
            symbol: given.get("symbol"),
            year: year && /^\d{4}$/.test(year) ? Number(year) : undefined,
            url: given.get("url"),
          },
          at.line,
        ),
      );
    }
    if (name === "Figure" && given.get("src")) {
      const src = given.get("src") ?? "";
      const target = path.resolve(moduleDir, src);
      if (!target.startsWith(moduleDir + path.sep) || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
        problems.error(at.line, at.column, `<Figure> src="${src}": no such image in the module folder`);
      } else if (!/\.(png|jpe?g|svg)$/i.test(src)) {
        problems.error(at.line, at.column, `<Figure> src="${src}": images must be .png, .jpg or .svg`);
      } else {
        const hash = createHash("sha256").update(fs.readFileSync(target)).digest("hex").slice(0, 10);
        assets[src] = `${hash}-${path.basename(src)}`;
      }
    }
    visit(node, (child: MdxNode) => {
      if (child !== node && child.type === "heading" && (child as unknown as Heading).depth <= 2) {
        const pos = child.position?.start ?? at;
        problems.error(pos.line, pos.column, `headings of level 1 or 2 cannot be inside <${name}>; use ### or bold text`);
      }
    });
  };

  // Groups the top-level content into one LessonSection per `##` heading.
  const splitSections = () => (tree: Root) => {
    const groups: { id: string; title: string; nodes: RootContent[] }[] = [];
    const seen = new Map<string, number>();
    const topLevel: RootContent[] = [];
    for (const node of tree.children) {
      // Frontmatter and the export mdx-bundler generates from it stay at the top level.
      if (node.type === "yaml" || (node.type as string) === "mdxjsEsm") {
        topLevel.push(node);
        continue;
      }
      if (node.type === "heading" && node.depth === 1) {
        const at = node.position?.start ?? { line: 1, column: 1 };
        problems.error(at.line, at.column, "do not use # (level 1) headings: the lesson title comes from the frontmatter; start sections with ##");
      }
      if (node.type === "heading" && node.depth === 2) {
        const title = toString(node).trim();
        const pinned = sectionIds[title];
        const id = pinned ?? slugify(title);
        const at = node.position?.start ?? { line: 1, column: 1 };
        if ((RESERVED_SECTION_IDS as readonly string[]).includes(id)) {
          problems.error(at.line, at.column, `section id "${id}" is reserved; rename the heading "${title}" or pin another id in sectionIds`);
        }
        if (seen.has(id)) {
          problems.error(at.line, at.column, `two sections have the id "${id}" (the first is on line ${seen.get(id)}); headings of sections must differ`);
        }
        seen.set(id, at.line);
        node.data = { ...node.data, hProperties: { id } };
        groups.push({ id, title, nodes: [node] });
      } else if (groups.length === 0) {
        groups.push({ id: "introduction", title: "Introduction", nodes: [node] });
      } else {
        groups.at(-1)?.nodes.push(node);
      }
    }
    for (const [pinnedTitle] of Object.entries(sectionIds)) {
      if (!groups.some((g) => g.title === pinnedTitle)) {
        problems.error(2, 1, `sectionIds: no "## ${pinnedTitle}" heading in this lesson`);
      }
    }
    if (groups.length === 0) problems.error(1, 1, "the lesson has no content");
    sections.push(...groups.map(({ id, title }) => ({ id, title })));
    tree.children = [
      ...topLevel,
      ...groups.map(
      (g) =>
        ({
          type: "mdxJsxFlowElement",
          name: "LessonSection",
          attributes: [{ type: "mdxJsxAttribute", name: "id", value: g.id }],
          children: g.nodes,
        }) as unknown as RootContent,
      ),
    ];
  };

  // Every table goes into a scroll region named after the heading it comes under: a phone scrolls the
  // table, not the page. Region names must differ on a page (the print view holds the whole lesson).
  const wrapTables = () => (tree: Root) => {
    let heading = "";
    const used = new Map<string, number>();
    const wrap = (parent: { children: RootContent[] }) => {
      parent.children = parent.children.map((node) => {
        if (node.type === "heading") heading = toString(node).trim();
        if (node.type !== "table") {
          if ("children" in node && Array.isArray(node.children) && node.type !== "heading") wrap(node as { children: RootContent[] });
          return node;
        }
        const base = heading ? `Table: ${heading}` : "Table";
        const n = (used.get(base) ?? 0) + 1;
        used.set(base, n);
        return {
          type: "mdxJsxFlowElement",
          name: "TableRegion",
          attributes: [{ type: "mdxJsxAttribute", name: "label", value: n === 1 ? base : `${base} (${n})` }],
          children: [node],
        } as unknown as RootContent;
      });
    };
    wrap(tree);
  };

  let code: string;
  try {
    const result = await bundleMDX({
      source,
      cwd: moduleDir,
      mdxOptions(options) {
        // Authors' nodes are checked before mdx-bundler's own plugins add their frontmatter export.
        options.remarkPlugins = [checkNodes, ...(options.remarkPlugins ?? []), remarkGfm, wrapTables, splitSections];
        options.rehypePlugins = [...(options.rehypePlugins ?? []), rehypeSlug];
        return options;
      },
      esbuildOptions(options) {
        options.logLevel = "silent";
        options.minify = false;
        return options;
      },
    });
    code = result.code;
  } catch (error) {
    reportBundleError(error, problems);
    return { problems, orderLine };
  }
  if (!frontmatter || problems.list.some((p) => p.severity === "error")) return { problems, orderLine };

  const Component = getMDXComponent(code);
  const terms: Cited<GlossaryEntry>[] = [];
  const rendered: Section[] = sections.map(({ id, title }) => {
    const render = (sectionPage: boolean) =>
      renderToStaticMarkup(
        createElement(
          MdxRenderContext.Provider,
          {
            value: {
              sectionId: id,
              sectionPage,
              // Both renderings meet the same terms: collect them once.
              onKeyTerm: (term: string, definition: ReactNode) => {
                if (sectionPage) return;
                const html = renderToStaticMarkup(createElement("div", null, definition)).slice(5, -6);
                terms.push(cite({ term, html, module: slug }, termLines.get(term) ?? 1));
              },
              assetUrl: (src: string) => `/course-assets/${slug}/${assets[src] ?? src}`,
            },
          },
          createElement(Component, { components: mdxComponents }),
        ),
      ).trim();
    const html = render(false);
    return { id, title, html, pageHtml: render(true), wordCount: wordCount(html) };
  });

  const sources = [...frontmatter.sources.map((s, i) => cite(s, parsed.locate(["sources", i]).line)), ...inlineSources];
  return {
    lesson: {
      frontmatter,
      sections: rendered,
      // Within the lesson as across the course: one entry per term and per document.
      glossary: mergeTerms(terms).glossary,
      sources: mergeSources(sources).sources.map(({ modules: _modules, ...s }) => s),
      cited: { terms, sources },
      wordCount: rendered.reduce((n, s) => n + s.wordCount, 0),
      assets,
    },
    problems,
    orderLine,
  };
}

function reportBundleError(error: unknown, problems: Problems) {
  type EsbuildMessage = {
    text?: string;
    location?: { line: number; column: number } | null;
    detail?: { line?: number; column?: number; reason?: string };
  };
  const errors = (error as { errors?: EsbuildMessage[] }).errors;
  if (!errors?.length) {
    problems.error(1, 1, `could not compile: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  for (const e of errors) {
    // The MDX compiler's own message is either in `detail` or inside the text as "L:C: reason (L:C-L:C)".
    const text = (e.text ?? "").replace(/^Cannot process MDX file with esbuild:\s*/, "").trim();
    const inText = /^(\d+):(\d+)(?:-\d+:\d+)?:\s*(.*)$/s.exec(text);
    const span = /\((\d+):(\d+)-\d+:\d+\)\s*$/.exec(text);
    let line = e.detail?.line ?? (span ? Number(span[1]) : inText ? Number(inText[1]) : e.location?.line ?? 1);
    let column = e.detail?.column ?? (span ? Number(span[2]) : inText ? Number(inText[2]) : (e.location?.column ?? 0) + 1);
    if (line < 1) [line, column] = [1, 1];
    const reason = (e.detail?.line ? e.detail.reason : inText?.[3]) ?? text ?? "could not compile";
    const cleaned = reason.replace(/\s*\(\d+:\d+-\d+:\d+\)\s*$/, "");
    problems.error(line, column, `MDX syntax: ${cleaned}${hintFor(cleaned)}`);
  }
}

function hintFor(reason: string): string {
  if (/closing tag|Expected a closing tag|end tag/i.test(reason)) return " (every <Component> needs a matching </Component>)";
  if (/brace|expression/i.test(reason)) return " (write \\{ for a literal brace)";
  if (/Unexpected character/i.test(reason)) return " (a bare < starts a tag in MDX; write \\< or 'less than')";
  return "";
}
