import { memo, type MouseEvent } from 'react';
import { invoke } from '../api.js';
import { linkify } from '../lib/linkify.js';
import { addNotice } from '../store/actions.js';

async function openLink(event: MouseEvent<HTMLAnchorElement>, href: string): Promise<void> {
  // The window itself never navigates: the link goes to the user's browser through main.
  event.preventDefault();
  const result = await invoke((api) => api.openExternal(href));
  if (!result.ok) addNotice('error', result.error.message);
}

/** Message text as React text nodes (never HTML), with http(s) links made clickable. */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          <a
            key={i}
            href={part.href}
            title={part.href}
            rel="noreferrer noopener"
            onClick={(e) => void openLink(e, part.href)}
            onAuxClick={(e) => {
              // Middle click would open a new Electron window; right click (button 2) is the context menu.
              if (e.button === 1) void openLink(e, part.href);
            }}
          >
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
});
