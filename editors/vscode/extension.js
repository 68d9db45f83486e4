// A minimal client: starts `ibid lsp` in the workspace folder for Typst
// files and the bibliography (YAML, BibLaTeX); Tinymist stays the Typst
// language server for everything else.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

/** What the client starts and which documents it sends. */
function options(config, folder) {
  const server = {
    command: config.get("path", "ibid"),
    args: ["lsp", ...config.get("args", [])],
    options: folder ? { cwd: folder.uri.fsPath } : {},
  };
  const documents = {
    documentSelector: [
      { scheme: "file", language: "typst" },
      { scheme: "file", pattern: "**/*.{yml,yaml,bib}" },
      { scheme: "file", pattern: "**/ibid.toml" },
    ],
  };
  return { server, documents };
}

function activate(context) {
  const folder = (vscode.workspace.workspaceFolders || [])[0];
  const { server, documents } = options(vscode.workspace.getConfiguration("ibid"), folder);
  client = new LanguageClient("ibid", "ibid", server, documents);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, options };
