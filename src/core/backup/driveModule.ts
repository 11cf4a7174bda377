// The Drive client as its own bundle (dist/drive.js): googleapis is ~1 MB of JavaScript that
// neither the extension's activation nor a CLI run without --drive-folder should parse.
export { drive, auth } from '@googleapis/drive';
