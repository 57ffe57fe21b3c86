// Parse GEXF files with graphology-gexf, the parser Gephi Lite uses, and print
// one JSON line per file: {file, ok, nodes, edges, type, multi, nodeData, edgeData}
// or {file, ok: false, error}.  Usage: node parse_gexf.mjs FILE...
import { readFileSync } from "node:fs";
import graphology from "graphology";
import gexf from "graphology-gexf";

const { MultiGraph } = graphology;

for (const file of process.argv.slice(2)) {
  try {
    const graph = gexf.parse(MultiGraph, readFileSync(file, "utf-8"));
    const nodeData = {};
    graph.forEachNode((key, attrs) => { nodeData[key] = attrs; });
    const edgeData = {};
    graph.forEachEdge((key, attrs, source, target) => {
      edgeData[key] = { ...attrs, _source: source, _target: target };
    });
    console.log(JSON.stringify({
      file, ok: true, nodes: graph.order, edges: graph.size, type: graph.type,
      multi: graph.multi, nodeData, edgeData,
    }));
  } catch (error) {
    console.log(JSON.stringify({ file, ok: false, error: String(error && error.message || error) }));
  }
}
