/**
 * The preload script: exposes `window.softphone` (one method per contract entry) in the isolated world.
 * Bundled to a single CommonJS file because a sandboxed preload can neither `require` local chunks nor load ESM.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildRendererApi } from './renderer-api';

contextBridge.exposeInMainWorld('softphone', buildRendererApi(ipcRenderer));

// For the Electron smoke test, which reads it from main in this isolated world (ID 999): whether this
// preload really ran sandboxed. The page's world never sees it, so it is the same in every profile.
Object.defineProperty(globalThis, '__softphonePreload', {
	value: Object.freeze({ sandboxed: process.sandboxed === true }),
});
