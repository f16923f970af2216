// Validates Kubernetes manifests (multi-document YAML, e.g. `helm template` output) against the API's OpenAPI
// schemas, as packaged by kubernetes-models (and the Prometheus Operator's CRDs by @kubernetes-models/prometheus-operator).
// An object of a kind with no schema here is an error too: nothing goes unchecked.
//   node eng/tools/validate-manifests.mjs [file...]   (no file: standard input)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion "apps/v1" -> module "kubernetes-models/apps/v1"; "v1" -> "kubernetes-models/v1".
const packages = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const base = packages[group] ?? "kubernetes-models";
  const path = group ? `${base}/${group}/${version}/${kind}` : `${base}/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch (error) {
    if (error.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || error.code === "ERR_MODULE_NOT_FOUND") {
      return undefined;
    }
    throw error;
  }
}

const inputs = process.argv.length > 2
  ? process.argv.slice(2).map((file) => [file, readFileSync(file, "utf8")])
  : [["<stdin>", readFileSync(0, "utf8")]];

let checked = 0;
const problems = [];
for (const [file, text] of inputs) {
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      problems.push(`${file}: ${document.errors.map((error) => error.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) {
      continue;
    }
    const name = `${file}: ${object.kind}/${object.metadata?.name}`;
    const Model = object.apiVersion && object.kind ? await modelOf(object.apiVersion, object.kind) : undefined;
    if (!Model) {
      problems.push(`${name}: no schema for apiVersion ${object.apiVersion}, kind ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
      checked += 1;
    } catch (error) {
      problems.push(`${name}: ${error.message}`);
    }
  }
}

for (const problem of problems) {
  console.error(problem);
}
console.log(`${checked} object(s) valid, ${problems.length} invalid`);
process.exit(problems.length > 0 ? 1 : 0);
