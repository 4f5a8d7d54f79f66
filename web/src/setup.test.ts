import { describe, expect, it } from 'vitest';
import { version as VSCODE_VERSION } from '../../extensions/vscode/package.json';
import TOOL_NAMES from '../../shared-model/src/main/resources/dev/devtime/model/wire/tools.json';
import { setupSnippets } from './setup';
import { toolName } from './shape';
import css from './styles.css?raw';

const TOOLS = TOOL_NAMES as Record<string, string>;

describe('tool ids and names come from the one tool table', () => {
  it('names each DevTime client of the set-up page as the table does', () => {
    const clients = setupSnippets('https://devtime.example.com', undefined).filter(
      (s) => s.id !== 'devtime-config' && s.id !== 'wakatime',
    );
    expect(clients.map((s) => s.id)).toEqual(['vscode', 'claude-code', 'codex', 'zed']);
    for (const s of clients) {
      expect(TOOLS[s.id], s.id).toBeDefined();
      expect(s.title.startsWith(toolName(s.id)), s.title).toBe(true);
    }
  });

  it('installs the VS Code extension by the file its build names after its version', () => {
    const vscode = setupSnippets('https://devtime.example.com', undefined).find((s) => s.id === 'vscode');
    expect(vscode?.code).toBe(`code --install-extension extensions/vscode/devtime-vscode-${VSCODE_VERSION}.vsix`);
  });

  it('colours timeline lanes only for tools of the table', () => {
    const coloured = [...css.matchAll(/\.tool-([a-z0-9-]+)\s*\{/g)].map((m) => m[1]);
    expect(coloured.length).toBeGreaterThan(0);
    for (const id of coloured) expect(TOOLS[id], `.tool-${id} in styles.css`).toBeDefined();
  });
});
