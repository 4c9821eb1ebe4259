/**
 * The files the rules judge, sorted: values documents, Kubernetes objects, and documents that
 * are neither. Pasted files (lib/diagnose/read-setup.ts) and a generated bundle
 * (lib/engine/checks.ts) are both read into this shape; every object keeps its origin (file,
 * document, path), so that evidence can point at it.
 */
import type { FieldName } from "../config/schema";
import { isMap, type Values } from "../values/values";
import type { Origin, Placed } from "../engine/cluster-view";
import type { YamlPath } from "../yaml/path";
import { readPrometheusJobs, readTargetList, type ScraperConfig, type TargetList } from "./scraper-input";

/** Why the input cannot be used at all (exit status 2 in the CLI). */
export interface InputProblem {
  /** The file at fault, or null for a missing or invalid fact. */
  file: string | null;
  /** The fact to give or correct (its form field and CLI flag), or null for a file problem. */
  field: FieldName | null;
  message: string;
}

export type FileOrigin = Extract<Origin, { kind: "file" }>;

interface ValuesDocument {
  file: string;
  document: number;
  /** `helm-get-values` when the file starts with helm's `USER-SUPPLIED VALUES:` line. */
  format: "values" | "helm-get-values";
  values: Values;
}

/** A Kubernetes object as read: only `kind` and `apiVersion` are known to be text. */
export type KubeObject = Record<string, unknown> & { kind: string; apiVersion: string };

export interface IgnoredDocument {
  origin: FileOrigin;
  reason: string;
}

export interface SetupFiles {
  values: ValuesDocument[];
  objects: Placed<KubeObject>[];
  ignored: IgnoredDocument[];
  /**
   * 1-based line of `path` inside the object at `origin`, when positions are known: the
   * diagnosis parses pasted files for them; a generated bundle's checks do without.
   */
  lineOf: (origin: FileOrigin, path: YamlPath) => number | null;
  /** Scrapers' own configuration: Prometheus scrape jobs, Alloy blocks (lib/rules/scraper-input.ts). */
  scraperConfigs?: ScraperConfig[];
  /** Scrapers' `/api/v1/targets` answers. */
  targetLists?: TargetList[];
}

function isKubeObject(v: unknown): v is KubeObject {
  return isMap(v) && typeof v.kind === "string" && typeof v.apiVersion === "string";
}

/**
 * Sorts the documents of one file into `into`: Kubernetes objects (the items of a `List`
 * each), values maps (any map without kind and apiVersion; any map at all in `helm get values`
 * output), and the rest, ignored with the reason.
 */
export function sortDocuments(
  file: string,
  docs: readonly unknown[],
  helm: boolean,
  into: Pick<SetupFiles, "values" | "objects" | "ignored" | "scraperConfigs" | "targetLists">,
): void {
  docs.forEach((doc, document) => {
    const origin = (path: YamlPath): FileOrigin => ({ kind: "file", file, document, path });
    if (doc === null || doc === undefined) return;
    if (isKubeObject(doc)) {
      if (/List$/.test(doc.kind) && Array.isArray(doc.items)) {
        doc.items.forEach((item: unknown, i: number) => {
          if (isKubeObject(item)) into.objects.push({ object: item, origin: origin(["items", i]) });
          else
            into.ignored.push({
              origin: origin(["items", i]),
              reason: "not a Kubernetes object (no kind or apiVersion)",
            });
        });
      } else into.objects.push({ object: doc, origin: origin([]) });
    } else if (!helm && readTargetList(doc, origin([]))) {
      (into.targetLists ??= []).push(readTargetList(doc, origin([])) as TargetList);
    } else if (!helm && readPrometheusJobs(doc, origin([]))) {
      (into.scraperConfigs ??= []).push(readPrometheusJobs(doc, origin([])) as ScraperConfig);
    } else if (isMap(doc) && (helm || (doc.kind === undefined && doc.apiVersion === undefined))) {
      into.values.push({ file, document, format: helm ? "helm-get-values" : "values", values: doc });
    } else {
      into.ignored.push({
        origin: origin([]),
        reason: isMap(doc)
          ? "has kind or apiVersion but not both, so it is neither a Kubernetes object nor chart values"
          : "is neither chart values (a map) nor a Kubernetes object",
      });
    }
  });
}
