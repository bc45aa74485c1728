/**
 * Project documentation: every model and seed with its description, columns, tests and
 * upstream/downstream lineage, as Markdown (`renderDocs`) or one static HTML page
 * (`renderDocsHtml`). Pure: reads only the parsed project.
 */
import type { BuildableNode, ModelProject, TestNode } from "./types.js";

interface NodeDoc {
  node: BuildableNode;
  kind: string;
  tags: string[];
  upstream: string[];
  sources: string[];
  downstream: string[];
  columns: { name: string; description: string; tests: string[] }[];
  tests: string[];
}

function describeTest(t: TestNode): string {
  const args = Object.entries(t.args)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  const extras = [args, t.where ? `where ${t.where}` : "", t.severity === "warn" ? "severity warn" : ""]
    .filter(Boolean)
    .join("; ");
  const name = t.type === "singular" ? `${t.id} (singular, ${t.file})` : t.type;
  return extras ? `${name} (${extras})` : name;
}

function docsOf(project: ModelProject): NodeDoc[] {
  return project.graph.order.map((id) => {
    const node = project.nodes.get(id)!;
    const tests = project.tests.filter(
      (t) => t.attachedTo === id || (t.type === "singular" && t.dependsOn.includes(id)),
    );
    const columnNames = [...node.columns.map((c) => c.name)];
    if (node.kind === "seed")
      for (const c of node.seedColumns) if (!columnNames.includes(c.name)) columnNames.push(c.name);
    const columns = columnNames.map((name) => ({
      name,
      description:
        node.columns.find((c) => c.name === name)?.description ||
        (node.kind === "seed" ? (node.seedColumns.find((c) => c.name === name)?.sqlType ?? "") : ""),
      tests: tests.filter((t) => t.column === name).map(describeTest),
    }));
    return {
      node,
      kind: node.kind === "seed" ? `seed (${node.rows.length} rows)` : node.config.materialized,
      tags: node.kind === "seed" ? node.tags : node.config.tags,
      upstream: project.graph.parents.get(id) ?? [],
      sources: node.kind === "model" ? node.sources : [],
      downstream: project.graph.children.get(id) ?? [],
      columns,
      tests: tests.filter((t) => t.column === undefined).map(describeTest),
    };
  });
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderDocs(project: ModelProject): string {
  const docs = docsOf(project);
  const out: string[] = ["# Models", ""];
  for (const schema of [...new Set(docs.map((d) => d.node.schema))]) {
    out.push(
      `- **${schema}**: ${docs
        .filter((d) => d.node.schema === schema)
        .map((d) => `[${d.node.name}](#${anchor(d.node.id)})`)
        .join(", ")}`,
    );
  }
  out.push("");
  for (const d of docs) {
    out.push(`## ${d.node.id}`, "", `<a id="${anchor(d.node.id)}"></a>`, "");
    out.push(`- file: \`${d.node.file}\`${d.node.docFile ? `, described in \`${d.node.docFile}\`` : ""}`);
    out.push(`- materialized: ${d.kind}${d.tags.length ? `; tags: ${d.tags.join(", ")}` : ""}`);
    if (d.node.kind === "model" && d.node.config.uniqueKey.length)
      out.push(`- unique key: ${d.node.config.uniqueKey.join(", ")}`);
    if (d.node.kind === "model" && !d.node.config.fullRefresh) out.push("- protected from --full-refresh");
    out.push(`- upstream: ${[...d.upstream, ...d.sources.map((s) => `source ${s}`)].join(", ") || "none"}`);
    out.push(`- downstream: ${d.downstream.join(", ") || "none"}`, "");
    if (d.node.description) out.push(d.node.description, "");
    if (d.columns.length) {
      out.push("| column | description | tests |", "| --- | --- | --- |");
      for (const c of d.columns)
        out.push(`| ${cell(c.name)} | ${cell(c.description)} | ${cell(c.tests.join("; "))} |`);
      out.push("");
    }
    if (d.tests.length) out.push("Tests:", "", ...d.tests.map((t) => `- ${t}`), "");
  }
  return out.join("\n");
}

function anchor(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "-");
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function renderDocsHtml(project: ModelProject): string {
  const docs = docsOf(project);
  const link = (id: string) => `<a href="#${anchor(id)}">${esc(id)}</a>`;
  const sections = docs.map((d) => {
    const rows = d.columns
      .map(
        (c) =>
          `<tr><td><code>${esc(c.name)}</code></td><td>${esc(c.description)}</td><td>${esc(c.tests.join("; "))}</td></tr>`,
      )
      .join("\n");
    return `<section id="${anchor(d.node.id)}">
<h2>${esc(d.node.id)}</h2>
<p class="meta">${esc(d.kind)}${d.tags.length ? ` · tags: ${esc(d.tags.join(", "))}` : ""} · <code>${esc(d.node.file)}</code></p>
${d.node.description ? `<p>${esc(d.node.description)}</p>` : ""}
<p>upstream: ${[...d.upstream.map(link), ...d.sources.map((s) => `source ${esc(s)}`)].join(", ") || "none"}<br>
downstream: ${d.downstream.map(link).join(", ") || "none"}</p>
${rows ? `<table><thead><tr><th>column</th><th>description</th><th>tests</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ""}
${d.tests.length ? `<ul>${d.tests.map((t) => `<li>${esc(t)}</li>`).join("")}</ul>` : ""}
</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tokyobeta models</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}.meta{color:#555}</style>
</head><body>
<h1>Models</h1>
<nav>${docs.map((d) => link(d.node.id)).join(" · ")}</nav>
${sections.join("\n")}
</body></html>
`;
}
