/**
 * The tray icon (32×32: the app icon's sender dot and waves) and the Windows taskbar overlay
 * (16×16 red dot), as PNG bytes in the bundle: build/ never goes into the package.
 */
export const TRAY_ICON_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAABpElEQVR42tWXu0oEMRSG903yBD6BT+ATWE5lbWFju61NClstrQRbWzuxGkQUxAXBC4iwiAgLghDnXwz8ezaXk50ZHQM/OzuTyflyLpNkNBpaM9uXppFtVDdyHan+GdPkjFeN3jo0LIWxq5Rx90uqQm5fmvna7pUbnzw7e/qyINzb3J+09YRhABvquD6+can2PvtyxxfTVWEsA0QTDkY07fzuoxSkZoBox8Oz1/ng+PXX10+zKAj6IHQaCBVATDCyc/QwB5INgBqIVgAsuP5x+lkMoQaQVbB1cL80OP4jIUsg1AChRPQVgErhvhICOdEaIBRnBkEupCBi1aEGgAEMCsVgGAJu55zAO50mIQwgF2RoGAKzznmhdRVs7N0uQOCac4K9Be/1UoYSgg3BIwy3MgBm5UtQZr0vUzbkSw+/qTCoAHgWoViHDOE74Z/xZxuraBFAajWUnuB4wyO5+yoAdq1scjCufX6GD9H/BSgJgV8ZkYSdhUCbhLn9hC/T4iTUlqFGeE+ujKotWY+qs5vSnmWz2/KeDyhmOAeTQRzNBnE4/Yv2DXy0OYPCwdWRAAAAAElFTkSuQmCC',
  'base64',
);

export const UNREAD_DOT_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAZ0lEQVR42mO4qavAQAnGJigPxP1AfB6I/0PxeaiYPCED4oH4PZJGdPweqgarAfF4NKLjeHQD5AnYjM0l8sgG9JOgGYb7kQ04T4YB55EN+E8mpp4BFHuB4kCkOBopTkhUScpUyUwkYwBFRL/kQKYCWQAAAABJRU5ErkJggg==',
  'base64',
);
