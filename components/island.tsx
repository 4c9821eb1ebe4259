"use client";
import { Activity, lazy, type ComponentType, type ReactNode } from "react";

/**
 * Islands hydrated when needed. The server renders an island's HTML with the page; in the
 * browser its code is not even loaded until the island comes near the viewport (once the page
 * is idle) or the user interacts inside it, or {@link wake} asks for it. Until then React leaves
 * its server HTML as it is (a dehydrated Activity boundary), so the page's first hydration does
 * not pay for it.
 *
 * React drops a click on a dehydrated island, and the browser would open a file dropped on it:
 * both are kept here and handed to the island once it runs ({@link takeEarlyEvents}). What is
 * typed into its fields stays in the DOM, where the island reads it when it hydrates.
 */

interface Gate {
  /** Resolves when the island is needed. */
  needed: Promise<void>;
  open: () => void;
  /** Accessible names of buttons clicked before the island ran, in order. */
  clicks: string[];
  /** Files dropped on the island before it ran. */
  drops: File[];
  stop: () => void;
}

const gates = new Map<string, Gate>();
const requested = new Set<string>();

/** Loads and hydrates the island whose root element has this id, now. */
export function wake(id: string): void {
  requested.add(id);
  gates.get(id)?.open();
}

/** Events the island missed before it ran; stops recording them. */
export function takeEarlyEvents(id: string): { clicks: string[]; drops: File[] } {
  const gate = gates.get(id);
  gate?.stop();
  return { clicks: gate?.clicks.splice(0) ?? [], drops: gate?.drops.splice(0) ?? [] };
}

// Pointer and keyboard (focus) interaction, input (also pasted or picked files), a drag, a
// drop, a click.
const EVENTS = ["pointerdown", "focusin", "input", "change", "dragover", "drop", "click"];

function gateFor(id: string, acceptDrops: boolean): Gate {
  let open!: () => void;
  const needed = new Promise<void>((resolve) => (open = resolve));
  const gate: Gate = {
    needed,
    open: () => open(),
    clicks: [],
    drops: [],
    stop: () => EVENTS.forEach((type) => window.removeEventListener(type, handle, true)),
  };
  gates.set(id, gate);
  const handle = (event: Event) => {
    if (!document.getElementById(id)?.contains(event.target as Node)) return;
    if (event.type === "click") {
      const button = (event.target as Element).closest("button");
      const name = button?.getAttribute("aria-label") ?? button?.textContent;
      if (name) gate.clicks.push(name);
    } else if (acceptDrops && (event.type === "dragover" || event.type === "drop")) {
      // Without this, the browser would open a file dropped on the panel in place of the page.
      event.preventDefault();
      gate.drops.push(...((event as DragEvent).dataTransfer?.files ?? []));
    }
    gate.open();
  };
  // On the window, in the capture phase: before React's own listeners, which stop a click
  // aimed at a dehydrated island from going further.
  EVENTS.forEach((type) => window.addEventListener(type, handle, true));

  const el = document.getElementById(id);
  // Touched already, before this ran (the same event may be what hydrated the page around it).
  const touched =
    el?.contains(document.activeElement) ||
    [...(el?.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea") ?? [])].some((f) => f.value);
  if (requested.has(id) || !el || touched) gate.open();
  else {
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        // Visible from the start: once the page's own start-up work is done. Safari has no
        // requestIdleCallback.
        if (typeof requestIdleCallback === "function") requestIdleCallback(gate.open, { timeout: 2000 });
        else setTimeout(gate.open, 200);
      },
      { rootMargin: "200px" },
    );
    observer.observe(el);
    void needed.then(() => observer.disconnect());
  }
  return gate;
}

/**
 * An island: the server renders `children` (a server component's output) in an element with
 * the id the page gives it (`id`, from ./island-ids); in the browser `load` gives the component
 * that takes over once the island is needed. That component gets the island's props and
 * `children`, and its first render must give the same elements as `children` (by rendering
 * them, or the same view with the same initial state): React hydrates the server HTML with it.
 */
export function island<P extends object>(
  load: () => Promise<ComponentType<P & { children: ReactNode }>>,
  { acceptDrops = false }: { acceptDrops?: boolean } = {},
): ComponentType<P & { id: string; children: ReactNode }> {
  let Lazy: ComponentType<P & { children: ReactNode }> | null = null;
  function Island({ id, ...props }: P & { id: string; children: ReactNode }) {
    Lazy ??= lazy(async () => {
      await (gates.get(id) ?? gateFor(id, acceptDrops)).needed;
      return { default: await load() };
    });
    // The same boundary on both sides. An Activity, not a Suspense boundary: the server writes
    // its content in place (React streams large Suspense boundaries separately, to be moved in
    // by a script, which would leave them invisible without JavaScript), and the browser
    // hydrates it on its own, later, leaving the server HTML as it is while the code loads.
    return (
      <Activity mode="visible">
        {typeof window === "undefined" ? props.children : <Lazy {...(props as P & { children: ReactNode })} />}
      </Activity>
    );
  }
  return Island;
}
