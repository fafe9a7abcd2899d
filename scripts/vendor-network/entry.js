// The browser bundle of the network page: sigma.js (WebGL renderer) and graphology (the graph
// model), exposed as window.BriefingsNetwork. The layout is computed at build time in Python
// (builder/site/network_data.py), so no layout library is bundled.
import Graph from "graphology";
import Sigma from "sigma";

export { Graph, Sigma };
