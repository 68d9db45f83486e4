//! Zed starts `ibid lsp` (from `PATH`) for Typst and YAML files, beside
//! Tinymist. Arguments (`--offline`) come from the user's settings:
//! `"lsp": { "ibid": { "binary": { "arguments": ["lsp", "--offline"] } } }`.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Ibid;

impl zed::Extension for Ibid {
    fn new() -> Self {
        Ibid
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let command = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("ibid"))
            .ok_or("ibid is not on PATH: cargo install --path . in the ibid repository")?;
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["lsp".into()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Ibid);
