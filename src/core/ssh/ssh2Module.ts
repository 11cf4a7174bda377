// What pgdba takes from ssh2, in a bundle of its own (dist/ssh2.js): loaded by sshConnect.ts only
// when a profile or command uses an SSH hop, so activation and the CLI's other commands never
// load it (ssh2 and its crypto are a third of the extension's bundle).
export { Client, utils } from 'ssh2';
