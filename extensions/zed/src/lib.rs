//! The DevTime extension for Zed: starts DevTime's language server (Node, from the npm package
//! `@devtime/zed`) with Zed's own Node, for every language listed in extension.toml. The server turns
//! didOpen, didChange and didSave into heartbeats; this side only finds and launches it.

use std::fs;

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

/// The npm package holding the bundled server (`dist/devtime-ls.js`).
const PACKAGE: &str = "@devtime/zed";
const SERVER_PATH: &str = "node_modules/@devtime/zed/dist/devtime-ls.js";
/// The key of this server's settings in Zed's `lsp` settings.
const SERVER_ID: &str = "devtime";

struct DevTimeExtension {
    /// Set once the server script is known to be installed, so later worktrees skip the npm checks.
    installed: bool,
}

impl DevTimeExtension {
    fn server_exists() -> bool {
        fs::metadata(SERVER_PATH).map_or(false, |m| m.is_file())
    }

    /// Installs or updates the npm package in the extension's work directory when needed. If the
    /// registry cannot be reached but a copy is installed, that copy is used.
    fn ensure_server(&mut self, id: &LanguageServerId) -> Result<String> {
        if self.installed && Self::server_exists() {
            return Ok(SERVER_PATH.to_string());
        }
        zed::set_language_server_installation_status(
            id,
            &zed::LanguageServerInstallationStatus::CheckingForUpdate,
        );
        match zed::npm_package_latest_version(PACKAGE) {
            Ok(latest) => {
                let installed = zed::npm_package_installed_version(PACKAGE)?;
                if !Self::server_exists() || installed.as_deref() != Some(latest.as_str()) {
                    zed::set_language_server_installation_status(
                        id,
                        &zed::LanguageServerInstallationStatus::Downloading,
                    );
                    if let Err(e) = zed::npm_install_package(PACKAGE, &latest) {
                        if !Self::server_exists() {
                            zed::set_language_server_installation_status(
                                id,
                                &zed::LanguageServerInstallationStatus::Failed(e.clone()),
                            );
                            return Err(format!("installing {PACKAGE}@{latest}: {e}"));
                        }
                    }
                }
            }
            Err(e) if !Self::server_exists() => {
                return Err(format!("cannot find {PACKAGE} on the npm registry: {e}"));
            }
            Err(_) => {}
        }
        zed::set_language_server_installation_status(
            id,
            &zed::LanguageServerInstallationStatus::None,
        );
        self.installed = true;
        Ok(SERVER_PATH.to_string())
    }
}

impl zed::Extension for DevTimeExtension {
    fn new() -> Self {
        Self { installed: false }
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        // `"lsp": {"devtime": {"binary": {"path": "...", "arguments": [...]}}}` runs a local build
        // instead (for development, or where the npm registry is not reachable).
        let binary = LspSettings::for_worktree(SERVER_ID, worktree)
            .ok()
            .and_then(|s| s.binary);
        if let Some(path) = binary.as_ref().and_then(|b| b.path.clone()) {
            return Ok(zed::Command {
                command: path,
                args: binary
                    .as_ref()
                    .and_then(|b| b.arguments.clone())
                    .unwrap_or_default(),
                env: binary
                    .and_then(|b| b.env)
                    .map(|env| env.into_iter().collect())
                    .unwrap_or_default(),
            });
        }
        let script = self.ensure_server(id)?;
        let script = std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(script)
            .to_string_lossy()
            .into_owned();
        Ok(zed::Command {
            command: zed::node_binary_path()?,
            args: vec![script, "--stdio".to_string()],
            env: Default::default(),
        })
    }

    /// `"lsp": {"devtime": {"initialization_options": {"api_url": "...", "api_key": "..."}}}` is
    /// passed to the server, where it wins over ~/.devtime/config.toml and the environment.
    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER_ID, worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }
}

zed::register_extension!(DevTimeExtension);
