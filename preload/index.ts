/**
 * The preload script: exposes `window.softphone` (one method per contract entry) in the isolated world.
 * Bundled to a single CommonJS file because a sandboxed preload can neither `require` local chunks nor load ESM.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildRendererApi } from './renderer-api';

contextBridge.exposeInMainWorld('softphone', buildRendererApi(ipcRenderer));
