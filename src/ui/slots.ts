/**
 * Extension points of the app shell, for features that live in their own folders (share links, autosave,
 * presets gallery, presenter mode): register toolbar items and hash routes here before the app renders.
 */
import type { JSX } from 'solid-js';
import type { Workbench } from './stores/workbench.ts';

/** A toolbar item: rendered after the built-in ones. */
export type ToolbarItem = (wb: Workbench) => JSX.Element;

/** A route: `#/<name>` renders it instead of the workbench body. */
export type Route = (wb: Workbench) => JSX.Element;

export const toolbarItems: ToolbarItem[] = [];
export const routes = new Map<string, Route>();
/** Called once with the store after the app started (e.g. to restore an autosave or a shared link). */
export const startHooks: ((wb: Workbench) => void | Promise<void>)[] = [];
