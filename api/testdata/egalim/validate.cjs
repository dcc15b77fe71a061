// validate.cjs SCHEMA CSV: checks a CSV file against a Frictionless Table
// Schema with frictionlessdata's own library (npm tableschema): the schema
// itself, the header (names and order), then every row cast with the
// field's type, format and constraints (required, pattern). It prints one
// JSON object: {"rows": n, "errors": ["..."]}, and exits 0 when it could
// check (errors or not), 2 when it could not run.
const fs = require('fs');
const { Schema, Table } = require('tableschema');

async function main() {
  const [schemaPath, csvPath] = process.argv.slice(2);
  const descriptor = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const errors = [];
  const schema = await Schema.load(descriptor, { strict: false });
  if (!schema.valid) {
    for (const e of schema.errors) errors.push('schema: ' + e.message);
  }
  const table = await Table.load(csvPath, { schema: descriptor, headers: 1 });
  let rows = 0;
  const all = await table.read({ forceCast: true, extended: true });
  const headers = table.headers || [];
  const names = schema.fieldNames;
  if (JSON.stringify(headers) !== JSON.stringify(names)) {
    errors.push('header: ' + JSON.stringify(headers) + ' != ' + JSON.stringify(names));
  }
  for (const row of all) {
    rows++;
    // With forceCast, a row that fails is its error (with the row's
    // number and one error per field), not the extended row.
    if (row instanceof Error) {
      const inner = row.errors && row.errors.length ? row.errors : [row];
      for (const e of inner) errors.push('row ' + row.rowNumber + ': ' + e.message);
    }
  }
  console.log(JSON.stringify({ rows, headers, errors }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(2);
});
