// Writes test/fixtures/pastes/: the paste corpus (scripts/lib/pasteCorpus.ts) from real servers 13–18.
//   tsx scripts/genPastes.ts [major...]
import { resolve } from 'node:path';
import { SUPPORTED_MAJORS } from './lib/pgServer';
import { writeDerived, writeMajor } from './lib/pasteCorpus';

const OUT = resolve(__dirname, '..', 'test', 'fixtures', 'pastes');

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map(Number);
  const majors = asked.length > 0 ? asked : [...SUPPORTED_MAJORS];
  for (const major of majors) console.log(`pg${major}: ${(await writeMajor(OUT, major)).length} files`);
  if (majors.includes(13)) console.log(`derived: ${writeDerived(OUT).length} files`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
