import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMap } from './sourcemap.js';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export type FrameLabeler = (frame: CallFrame) => string;

/**
 * Names a profile frame "function (file:line)" with the file relative to `root`. Frames of a
 * bundled worker are mapped back through the bundle's source map; files tsx compiled on the fly
 * have no usable line (it is the compiled text's), so only the file is shown.
 */
export function createLabeler(root: string): FrameLabeler {
  const maps = new Map<string, SourceMap | null>();
  const relative = (file: string): string => path.relative(root, file);
  return (frame) => {
    const name = frame.functionName || '(anonymous)';
    if (!frame.url) return name;
    const file = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
    if (file.endsWith('.mjs') && file.includes(`${path.sep}.build${path.sep}`)) {
      if (!maps.has(file)) maps.set(file, SourceMap.load(`${file}.map`));
      const original = maps.get(file)?.original(frame.lineNumber, frame.columnNumber);
      if (original) return `${name} (${relative(original.file)}:${original.line + 1})`;
    }
    if (/\.tsx?$/.test(file)) return `${name} (${relative(file)})`;
    return `${name} (${file.startsWith('node:') ? file : relative(file)}:${frame.lineNumber + 1})`;
  };
}
