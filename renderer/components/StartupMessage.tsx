/** Full-window text while the app connects, or when it cannot. */
export function StartupMessage({ title, detail }: { title: string; detail?: string }) {
  return (
    <main className="startup" aria-live="polite">
      <h1>{title}</h1>
      {detail ? <p>{detail}</p> : null}
    </main>
  );
}
