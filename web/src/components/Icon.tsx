/** Inline stroke icons (no icon font, no remote assets). Decorative: always aria-hidden. */
const PATHS = {
  plus: 'M12 5v14M5 12h14',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3',
  send: 'M5 12h13M13 6l6 6-6 6',
  stop: 'M7 7h10v10H7z',
  menu: 'M4 7h16M4 12h16M4 17h16',
  close: 'M6 6l12 12M18 6L6 18',
  thumbUp: 'M7 11v9H4v-9h3zm0 0l4-7a2 2 0 0 1 3 2l-1 4h5a2 2 0 0 1 2 2.3l-1.2 6A2 2 0 0 1 16.8 20H7',
  thumbDown: 'M17 13V4h3v9h-3zm0 0l-4 7a2 2 0 0 1-3-2l1-4H6a2 2 0 0 1-2-2.3l1.2-6A2 2 0 0 1 7.2 4H17',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  check: 'M5 12l5 5 9-10',
  retry: 'M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4',
  warning: 'M12 4l9 16H3L12 4zm0 6v4m0 3v.5',
  doc: 'M7 3h7l5 5v13H7zM14 3v5h5',
  chat: 'M4 5h16v11H8l-4 4z',
  info: 'M12 8v.5M12 11v5M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  flag: 'M5 21V4h11l-2 4 2 4H5',
  translate: 'M3 5h9M7.5 3v2M10 5c-.8 3.6-3 6.6-6 8.5M5.5 8.5c1.2 2 2.8 3.6 4.8 4.7M13 21l4-9 4 9M14.4 18h5.2',
  book: 'M5 4.5A1.5 1.5 0 0 1 6.5 3H19v15H6.5A1.5 1.5 0 0 0 5 19.5zm0 15A1.5 1.5 0 0 0 6.5 21H19v-3M9 7h6',
  search: 'M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM20 20l-4.8-4.8',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
