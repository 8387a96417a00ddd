/** The Realign mark: a white "R" whose leg turns back into line. Decorative. */
export function BrandMark({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <rect width="32" height="32" rx="7" fill="rgba(255,255,255,.16)" />
      <path d="M10 24V8h7a4.5 4.5 0 0 1 0 9h-3.5m3.5 0 5.5 7" stroke="white" strokeWidth="2.8" fill="none" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
