// The shapes of the API's answers (src/http/api_server.cc, admin_routes.cc).

export interface SearchResult {
  id: string;
  schema: string;
  score: number;
  caption: string;
  matched: { property: string; value: string };
  same_caption: string[];
}

export interface Marking {
  handling: string;
  classification: string;
  reliability: string;
  accuracy: number;
  cases?: string[];
}

export interface SourcedValue {
  value: string;
  source: string;
  record: string;
  ingested_us: number;
}

export interface EntityRef {
  id: string;
  schema: string;
  caption: string;
}

export interface Dossier {
  id: string;
  schema: string;
  caption: string;
  marking: Marking;
  versions: number;
  properties: Record<string, { label: string; type: string; values: SourcedValue[] }>;
  links: { direction: "out" | "in"; property: string; via: EntityRef; other?: EntityRef }[];
  // The canonical person of the latest entity-resolution run: its other records (as far as the
  // user may see them), or null.
  person: { id: string; run: string; records: (EntityRef & { sources: string[] })[]; truncated: boolean } | null;
}

export interface HistoryAnswer {
  id: string;
  versions: {
    sequence: number;
    written: string;
    // Each value with its provenance: v value, s source, r source record, t ingestion time (µs).
    entity: { id: string; schema: string; marking: Marking; properties: Record<string, { v: string; s: string; r: string; t: number }[]> };
  }[];
}

export interface AuditRecord {
  sequence: number;
  time_us: number;
  user: string;
  client: string;
  action: string;
  outcome: string;
  justification: string;
  detail: string;
  objects: string[];
  objects_total: number;
}

export interface UserInfo {
  name: string;
  role: string;
  clearance: string;
  mfa: boolean;
  disabled: boolean;
  cases: string[];
  created: string;
}

// Link analysis (src/graph/consult.cc) and AML alerts (src/aml/aml.cc AlertJson).
export interface GraphNode {
  id: string;
  schema: string;
  caption: string;
  date?: string;
  distance?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  type: string; // a link schema (Family, Payment...), same-person, same:TYPE or ref:PROPERTY
  via?: string; // the link entity
  from_date?: string;
  to_date?: string;
}

export interface Neighbourhood {
  seed: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

export interface PathAnswer {
  from: string;
  to: string;
  paths: { length: number; nodes: GraphNode[]; edges: GraphEdge[] }[];
}

export interface TimelineAnswer {
  entity: string;
  events: (GraphNode & { date: string; through?: string; through_caption?: string; other?: GraphNode })[];
}

export interface AmlAlert {
  id: string;
  typology: string;
  score: number;
  first_date: string;
  last_date: string;
  total_eur: number;
  accounts: string[];
  owners: string[];
  transactions: string[];
  explanation: string;
}
