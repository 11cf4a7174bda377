// pgdba's version, from package.json (esbuild keeps only this field of the file in a bundle).
import { version } from '../../package.json';

export const PGDBA_VERSION: string = version;
