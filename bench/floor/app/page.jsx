import { Counter } from "./counter";

export default function Page() {
  return (
    <main>
      <h1>Next.js floor</h1>
      <p>What any Next.js App Router page with React costs before its own code: the runtime, React and hydration.</p>
      <Counter />
    </main>
  );
}
