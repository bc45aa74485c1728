/** The model runner: what other folders import (see README.md). */
export { loadProject } from "./load-project.js";
export { buildGraph, descendantsOf, ancestorsOf } from "./build-graph.js";
export { selectNodes, selectorList, type SelectOptions, type Selection } from "./select-nodes.js";
export { compileNode, compileTest, type CompileOptions } from "./compile-node.js";
export {
  runModels,
  runTests,
  buildModels,
  isPublishable,
  type RunOptions,
  type BuildResult,
} from "./run-models.js";
export { renderDocs, renderDocsHtml } from "./render-docs.js";
export { parseVarAssignments, sqlLiteral } from "./template.js";
export { META_SCHEMA } from "./store-results.js";
export type * from "./types.js";
