// What the network view and the AML alert view share: cytoscape.js, loaded on first use (a
// separate chunk, so search and dossier pages load without it), one look for entities and
// links, and the chart as a PNG file. Captions are drawn on the canvas as text, never as markup.
import type { Core, ElementDefinition, StylesheetJson } from "cytoscape";
import { h } from "../dom";

export type { Core, ElementDefinition };

const SCHEMA_COLOURS: Record<string, string> = {
  Person: "#1d4e89",
  Company: "#6b3fa0",
  Organization: "#6b3fa0",
  LegalEntity: "#6b3fa0",
  BankAccount: "#1b6b3a",
  Payment: "#b45309",
  Vehicle: "#4a5568",
  Passport: "#4a5568",
  Identification: "#4a5568",
  BorderCrossing: "#0e7490",
  Arrest: "#a4161a",
  Case: "#7c2d12",
};
// Community colours: distinguishable from each other, and the first unlike the Person blue.
export const COMMUNITY_COLOURS = ["#d97706", "#0e7490", "#be185d", "#65a30d", "#7c3aed", "#b91c1c", "#0f766e", "#a16207", "#4338ca", "#475569"];

export function schemaColour(schema: string): string {
  return SCHEMA_COLOURS[schema] ?? "#5a6270";
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      "background-color": "data(colour)",
      label: "data(label)",
      color: "#1b1f24",
      "font-size": 12,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "ellipsis",
      "text-max-width": "140px",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      width: 26,
      height: 26,
    },
  },
  { selector: "node.seed", style: { "border-width": 5, "border-style": "double", "border-color": "#14213d", width: 36, height: 36 } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#1b1f24" } },
  { selector: "node.community", style: { "background-color": "data(community)" } },
  { selector: "node.broker", style: { shape: "diamond", width: 44, height: 44, "border-width": 3, "border-color": "#1b1f24", "font-weight": "bold" } },
  {
    selector: "edge",
    style: {
      width: 2,
      "line-color": "#9aa3b0",
      "target-arrow-color": "#9aa3b0",
      "curve-style": "bezier",
      label: "data(label)",
      "font-size": 10,
      color: "#5a6270",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
    },
  },
  { selector: "edge.directed", style: { "target-arrow-shape": "triangle" } },
  { selector: "node.path", style: { "border-width": 5, "border-color": "#f0b400" } },
  { selector: "edge.path", style: { "line-color": "#f0b400", "target-arrow-color": "#f0b400", width: 5, "z-index": 10 } },
  { selector: ".faded", style: { opacity: 0.25 } },
];

const importCytoscape = () => import("cytoscape");
let loaded: ReturnType<typeof importCytoscape> | null = null;

// A chart in `container` (which must be in the page and have a size).
export async function makeChart(container: HTMLElement, elements: ElementDefinition[], layout: string): Promise<Core> {
  if (!loaded) loaded = importCytoscape();
  const cytoscape = (await loaded).default;
  // Cytoscape would add a <style> element (which the CSP blocks, rightly) unless one with this
  // id is there: style.css has its rule instead.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    document.head.appendChild(h("meta", { id: "__________cytoscape_stylesheet", name: "cytoscape-style", content: "in style.css" }));
  }
  const cy = cytoscape({ container, elements, style: STYLE, minZoom: 0.1, maxZoom: 4 });
  runLayout(cy, layout);
  return cy;
}

export function runLayout(cy: Core, name: string): void {
  // cose spread out so that captions and amounts stay readable.
  const spread = name === "cose" ? { idealEdgeLength: () => 120, nodeRepulsion: () => 400000, nodeOverlap: 20 } : name === "breadthfirst" ? { directed: true, spacingFactor: 1.4 } : {};
  cy.layout({ name, animate: false, fit: true, padding: 40, ...spread } as never).run();
  // A few entities would otherwise be blown up to fill the chart.
  if (cy.zoom() > 1.25) {
    cy.zoom(1.25);
    cy.center();
  }
}

// Saves the chart as a PNG file named `name`; resolves with the file's size in bytes.
export async function downloadPng(cy: Core, name: string): Promise<number> {
  const blob = await cy.png({ output: "blob-promise", full: true, scale: 2, bg: "#ffffff" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a"); // not h(): its href is a blob: URL of our own
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
  return blob.size;
}
