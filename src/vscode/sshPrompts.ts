// The window's answers to the SSH hop's questions: an unknown host key in a modal with its SHA256
// fingerprint (Accept and Save / Cancel), a key's passphrase and the hop's password asked once and
// kept in SecretStorage — never in settings or the log.
import * as vscode from 'vscode';
import type { SshPrompts } from '../core/ssh/sshSession';

const ACCEPT = 'Accept and Save';

export function sshPrompts(secrets: vscode.SecretStorage): SshPrompts {
  const secret = async (key: string, ask: vscode.InputBoxOptions): Promise<string | undefined> => {
    const kept = await secrets.get(key);
    if (kept !== undefined) return kept;
    const given = await vscode.window.showInputBox({ ...ask, password: true, ignoreFocusOut: true });
    if (given !== undefined) await secrets.store(key, given);
    return given;
  };
  return {
    confirmHostKey: async (info) => {
      const pick = await vscode.window.showWarningMessage(
        `The SSH host ${info.host}:${info.port} is not known yet.`,
        {
          modal: true,
          detail: `Its ${info.keyType} key's fingerprint is\n${info.fingerprint}\n\nCompare it with the one the server's administrator gives you (ssh-keygen -lf on the server's host key). Accepting adds it to ${info.knownHostsFile}.`,
        },
        ACCEPT,
      );
      return pick === ACCEPT;
    },
    passphrase: (file) => secret(`pgdba.ssh.passphrase:${file}`, { title: 'SSH key passphrase', prompt: `The passphrase of ${file}` }),
    passphraseRefused: (file) => Promise.resolve(secrets.delete(`pgdba.ssh.passphrase:${file}`)),
    password: (target) => secret(`pgdba.ssh.password:${target}`, { title: 'SSH password', prompt: `The SSH password of ${target}` }),
  };
}

/** Forgets a hop's stored password (after the server refused it), so that the next attempt asks again. */
export async function forgetSshPassword(secrets: vscode.SecretStorage, target: string): Promise<void> {
  await secrets.delete(`pgdba.ssh.password:${target}`);
}
