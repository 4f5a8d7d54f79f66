// The vsix the VS Code extension's build names after its version.
import { version as VSCODE_VERSION } from '../../extensions/vscode/package.json';
import { toolName } from './shape';

// Copy-paste set-up snippets for each client, filled in with this server's URL and a key.
// Every DevTime client reads ~/.devtime/config.toml first and ~/.wakatime.cfg as a fallback
// (extensions/core/src/config.ts), so the config file is the common step.

export interface SetupSnippet {
  id: string;
  title: string;
  intro: string;
  file?: string;
  code: string;
}

export const KEY_PLACEHOLDER = 'YOUR_API_KEY';

/** The API base as plugins need it: no trailing slash; an empty apiUrl means this page's origin. */
export function apiBase(apiUrl: string, origin: string): string {
  return (apiUrl || origin).replace(/\/+$/, '');
}

export function setupSnippets(base: string, key: string | undefined): SetupSnippet[] {
  const k = key || KEY_PLACEHOLDER;
  const devtimeToml = `[api]\nendpoint = "${base}"\nkey = "${k}"\n`;
  return [
    {
      id: 'devtime-config',
      title: 'All DevTime clients',
      intro: 'VS Code, Claude Code, Codex, Zed and the devtime CLI read this file. Create it once per machine.',
      file: '~/.devtime/config.toml',
      code: devtimeToml,
    },
    {
      id: 'vscode',
      title: toolName('vscode'),
      intro:
        'Install the DevTime extension from the .vsix the build produces, then reload the window. It picks up ~/.devtime/config.toml; the command "DevTime: Set API key" stores a key in VS Code instead.',
      code: `code --install-extension extensions/vscode/devtime-vscode-${VSCODE_VERSION}.vsix`,
    },
    {
      id: 'claude-code',
      title: toolName('claude-code'),
      intro:
        'Adds asynchronous DevTime hooks to ~/.claude/settings.json (Claude Code never waits for them). Run from a DevTime checkout after the build.',
      code: 'node extensions/claude-code/dist/install.js',
    },
    {
      id: 'codex',
      title: `${toolName('codex')} CLI`,
      intro:
        'Registers the DevTime notify program in ~/.codex/config.toml. Run from a DevTime checkout after the build.',
      code: 'node extensions/codex/dist/install.js',
    },
    {
      id: 'zed',
      title: toolName('zed'),
      intro:
        'The DevTime language server reports edits from Zed. Its npm package is not published yet, so Zed cannot install it by itself: build it in a DevTime checkout, install the extension from extensions/zed (Zed: "zed: install dev extension") and point its binary setting at the built server (extensions/zed/README.md). It uses ~/.devtime/config.toml.',
      code: `export DEVTIME_API_URL="${base}"\nexport DEVTIME_API_KEY="${k}"`,
    },
    {
      id: 'wakatime',
      title: 'Any WakaTime plugin',
      intro: 'Existing WakaTime plugins and wakatime-cli send to DevTime unchanged once this file points at it.',
      file: '~/.wakatime.cfg',
      code: `[settings]\napi_url = ${base}/api/v1\napi_key = ${k}\n`,
    },
  ];
}
