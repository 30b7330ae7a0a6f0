import type { BrowserWindow } from 'electron';
import type { Attention } from './attention.js';

/** The window's focus as the OS reports it: a room counts as seen only while the window has it. */
export function watchFocus(win: Pick<BrowserWindow, 'on' | 'isFocused'>, attention: Pick<Attention, 'setFocused'>): void {
  const unfocused = (): void => attention.setFocused(false);
  attention.setFocused(win.isFocused());
  win.on('focus', () => attention.setFocused(true));
  win.on('blur', unfocused);
  win.on('hide', unfocused);
  win.on('minimize', unfocused);
}
