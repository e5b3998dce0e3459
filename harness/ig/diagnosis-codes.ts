/**
 * The ICD-10 diagnosis CodeSystem ships as a fragment: each openIMIS deployment configures its own list
 * of diagnoses. A deployment that puts its list in `input/data/diagnosis-ICD10-level1.csv` (two columns,
 * code and display, an optional `code,display` header) gets a complete CodeSystem in the build output.
 */
export interface DiagnosisCode {
  code: string;
  display: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Splits one CSV record, honouring double-quoted fields with doubled quotes inside. */
function splitCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((value) => value.trim());
}

export function parseDiagnosisCsv(text: string): Parsed<DiagnosisCode[]> {
  const codes: DiagnosisCode[] = [];
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const [code = '', display = '', ...rest] = splitCsvRecord(line);
    if (codes.length === 0 && seen.size === 0 && code.toLowerCase() === 'code') continue;
    const where = `line ${index + 1}`;
    if (rest.length > 0) return { ok: false, error: `${where}: expected two columns (code, display)` };
    if (!/^[^\s]+$/.test(code))
      return { ok: false, error: `${where}: the code "${code}" is empty or has spaces` };
    if (display === '') return { ok: false, error: `${where}: the code ${code} has no display` };
    if (seen.has(code)) return { ok: false, error: `${where}: the code ${code} appears twice` };
    seen.add(code);
    codes.push({ code, display });
  }
  if (codes.length === 0) return { ok: false, error: 'the file holds no codes' };
  return { ok: true, value: codes };
}

interface CodeSystemJson {
  resourceType: 'CodeSystem';
  content?: string;
  count?: number;
  concept?: { code: string; display?: string }[];
  [key: string]: unknown;
}

/** Returns the CodeSystem with the deployment's codes as its complete content. */
export function withDeploymentCodes(codeSystem: CodeSystemJson, codes: DiagnosisCode[]): CodeSystemJson {
  return {
    ...codeSystem,
    content: 'complete',
    count: codes.length,
    concept: codes.map(({ code, display }) => ({ code, display })),
  };
}
