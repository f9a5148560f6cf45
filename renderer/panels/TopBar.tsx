import { useEffect, useRef, useState } from 'react';
import { ExportBundleDialog, ImportBundleDialog } from './BundleDialogs';
import { useApp, useCurrentDoc, useDoc, useFlow, useLive, useView, useWorkspace } from '../app-context';
import { Icon } from '../icons';
import { IconButton } from '../forms/IconButton';
import { isDirty } from '../state/document-store';
import { isDesktop } from '../host';
import { resolvedTheme } from '../state/view-store';
import { RunWithSample } from '../inspector/node-tools';
import { FlowNameInput } from '../sidebar/FlowNameInput';
import { draftDeployRefusal, draftSummary, usePendingDrafts } from '../inspector/field-drafts';
import { EnvironmentSelect } from '../environments/EnvironmentSelect';
import { plural } from '../plural';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function TopBar() {
  const { workspace, view } = useApp();
  const doc = useCurrentDoc();
  const flow = useFlow();
  const dirty = useDoc(isDirty);
  const canUndo = useDoc((s) => s.canUndo);
  const canRedo = useDoc((s) => s.canRedo);
  const saveStatus = useWorkspace((s) => s.saveStatus);
  const saveError = useWorkspace((s) => s.saveError);
  const problems = useWorkspace((s) => s.problems);
  const busy = useWorkspace((s) => s.busy);
  const deployment = useLive((s) => s.deployments[flow.id]);
  // Webhooks in the flow, every one disabled: deployed, nothing answers (the pill says so unless changes are pending).
  const hooks = flow.nodes.filter((n) => n.type === 'webhook');
  const noEndpointDoc = hooks.length > 0 && hooks.every((n) => n.disabled);
  const theme = useView((s) => resolvedTheme(s));
  const themePref = useView((s) => s.theme);
  const sidebarOpen = useView((s) => s.sidebarOpen);
  const fileRef = useRef<HTMLInputElement>(null);
  const [bundle, setBundle] = useState<'export' | 'import' | null>(null);
  // Text in a field that is not a value yet (invalid JSON) is not saved: say so, count it, refuse to deploy.
  const drafts = usePendingDrafts(flow);
  const notSaved = draftSummary(drafts);
  const errors = problems.filter((p) => p.severity !== 'warning').length + drafts.length;
  const outdated = deployment && deployment.revision !== flow.revision;
  const noEndpoint = !!deployment && !outdated && noEndpointDoc;
  const status = saveStatus === 'error' ? 'Save failed' : notSaved ?? (saveStatus === 'saving' ? 'Saving…' : dirty ? 'Unsaved changes' : 'Saved');

  const deploy = async () => {
    const refused = draftDeployRefusal(drafts);
    if (refused) {
      view.getState().toggle('problemsOpen', true);
      return view.getState().showToast(refused);
    }
    const r = await workspace.getState().deploy();
    if (!r.ok) {
      view.getState().toggle('problemsOpen', true);
      view.getState().showToast(`Deploy refused: ${plural(r.problems.length, 'problem')} to fix`);
    } else {
      // Live, but something will fail when it runs (a secret or $env variable not set): say so with the first one.
      const warnings = r.problems.filter((p) => p.severity === 'warning' && (p.code === 'missing_secret' || p.code === 'missing_variable'));
      if (!warnings.length) return view.getState().showToast('Deployed: the endpoint is live');
      view.getState().toggle('problemsOpen', true);
      view.getState().showToast(`Deployed with ${plural(warnings.length, 'warning')}: ${warnings[0].message}`);
    }
  };

  const onImport = async (file: File) => {
    const r = await workspace.getState().importFlow(await file.text());
    if (!r.ok && r.bundle) view.getState().showToast(`${file.name} is a bundle (flows, connections, environments)`, { label: 'Import bundle…', run: () => setBundle('import') });
    else if (!r.ok) view.getState().showToast(`Import failed: ${r.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).slice(0, 2).join('; ')}`);
    else {
      // The imported flow is open now: show it, also when importing from a settings page.
      view.getState().setPage('canvas');
      view.getState().showToast('Flow imported');
    }
  };

  const exportFlow = () => download(`${flow.id}.json`, JSON.stringify(doc?.get(), null, 2));

  // The desktop app's menu (New, Open, Save, Import, Export, Undo, Redo, Deploy) runs the same commands.
  const menu = useRef<(a: string) => void>(() => {});
  menu.current = (action: string) => {
    if (action === 'new') {
      view.getState().setPage('canvas');
      void workspace.getState().createFlow();
    }
    else if (action === 'open') view.getState().toggle('sidebarOpen', true);
    else if (action === 'save') void workspace.getState().saveNow();
    else if (action === 'import') fileRef.current?.click();
    else if (action === 'export') exportFlow();
    else if (action === 'undo') doc?.undo();
    else if (action === 'redo') doc?.redo();
    else if (action === 'deploy') void deploy();
  };
  useEffect(() => (isDesktop() ? window.hookline!.onMenu((a) => menu.current(a)) : undefined), []);

  return (
    <header className="hl-topbar" data-testid="topbar">
      <IconButton label="Toggle sidebar" shortcut="Ctrl+B" aria-expanded={sidebarOpen} testId="toggle-sidebar" onClick={() => view.getState().toggle('sidebarOpen')}>
        <Icon name="sidebar" />
      </IconButton>
      <div className="hl-brand">Hookline</div>
      <span className="hl-sep">/</span>
      <FlowNameInput />
      <span className={`hl-save ${notSaved ? 'error' : saveStatus}${dirty || notSaved ? ' dirty' : ''}`} data-testid="save-status" data-dirty={dirty ? 'true' : 'false'} data-drafts={drafts.length} title={notSaved ? drafts.map((d) => `${d.label}: ${d.error}`).join('\n') : saveError ?? status}>
        <span className="hl-save-dot" />
        <span className="hl-save-text">{status}</span>
      </span>
      <div className="hl-grow" />
      <div className="hl-btn-group">
        <IconButton label="Undo" shortcut="Ctrl+Z" disabled={!canUndo} testId="undo" onClick={() => doc?.undo()}><Icon name="undo" /></IconButton>
        <IconButton label="Redo" shortcut="Ctrl+Shift+Z" disabled={!canRedo} testId="redo" onClick={() => doc?.redo()}><Icon name="redo" /></IconButton>
        <IconButton label="Auto-layout" shortcut="Shift+L" testId="auto-layout" onClick={() => window.dispatchEvent(new Event('hookline:layout'))}><Icon name="layout" /></IconButton>
      </div>
      <div className="hl-btn-group">
        <IconButton label="Import flow (JSON)" testId="import" onClick={() => fileRef.current?.click()}><Icon name="upload" /></IconButton>
        <input ref={fileRef} type="file" accept="application/json,.json" hidden data-testid="import-file" onChange={(e) => e.target.files?.[0] && void onImport(e.target.files[0]).finally(() => (e.target.value = ''))} />
        <IconButton label="Export flow (JSON)" testId="export" onClick={exportFlow}><Icon name="download" /></IconButton>
      </div>
      <div className="hl-btn-group">
        <button className="hl-btn ghost sm" title="Import a bundle (flows, connections, environments)" aria-label="Import bundle" data-testid="bundle-import-open" onClick={() => setBundle('import')}><Icon name="package" size={13} className="hl-bundle-icon" /><Icon name="upload" size={13} /><span className="hl-btn-label hl-bundle-label">Import bundle</span></button>
        <button className="hl-btn ghost sm" title="Export flows as one bundle file" aria-label="Export bundle" data-testid="bundle-export-open" onClick={() => setBundle('export')}><Icon name="package" size={13} className="hl-bundle-icon" /><Icon name="download" size={13} /><span className="hl-btn-label hl-bundle-label">Export bundle</span></button>
      </div>
      {bundle === 'export' && <ExportBundleDialog onClose={() => setBundle(null)} />}
      {bundle === 'import' && <ImportBundleDialog onClose={() => setBundle(null)} />}
      <button className={`hl-problems-btn${errors ? ' has' : ''}`} data-testid="problems-button" onClick={() => view.getState().toggle('problemsOpen')} title="Problems" aria-label={`Problems: ${errors}`}>
        <Icon name={errors ? 'warn' : 'check'} size={14} />
        <span data-testid="problems-count">{errors}</span>
      </button>
      {deployment && (
        <span className={`hl-pill hl-deploy-state ${outdated || noEndpoint ? 'warn' : 'ok'}`} data-testid="deploy-state" title={noEndpoint ? 'Deployed, but its webhooks are disabled: no endpoint answers' : `Deployed revision ${deployment.revision}`}>
          {outdated ? 'Changes not deployed' : noEndpoint ? `Live · rev ${deployment.revision} · no endpoint` : `Live · rev ${deployment.revision}`}
        </span>
      )}
      {deployment && (
        <button className="hl-btn" disabled={busy} data-testid="undeploy" title="Undeploy: stop serving this flow" onClick={() => void workspace.getState().undeploy()}>
          <Icon name="stop" size={14} /><span className="hl-btn-label">Undeploy</span>
        </button>
      )}
      {flow.nodes.some((n) => n.type === 'manual') && <RunWithSample compact />}
      <button className="hl-btn primary" disabled={busy || !doc} data-testid="deploy" title={deployment ? 'Redeploy the saved revision' : 'Deploy: make the endpoint live'} onClick={() => void deploy()}>
        <Icon name="rocket" size={14} /> {deployment ? 'Redeploy' : 'Deploy'}
      </button>
      <EnvironmentSelect />
      <IconButton
        label={`Theme: ${themePref}`}
        shortcut="click to change"
        testId="theme-toggle"
        onClick={() => view.getState().setTheme(themePref === 'system' ? (theme === 'dark' ? 'light' : 'dark') : 'system')}
      >
        <Icon name={theme === 'dark' ? 'moon' : 'sun'} />
      </IconButton>
      <IconButton label="Keyboard shortcuts" shortcut="?" testId="shortcuts" onClick={() => view.getState().toggle('cheatSheetOpen')}><Icon name="keyboard" /></IconButton>
    </header>
  );
}
