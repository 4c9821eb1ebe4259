"use client";
import { Activity, lazy, useEffect, type ComponentType, type ReactNode } from "react";

/**
 * Islands hydrated when needed. The server renders an island's HTML with the page; in the
 * browser its code is not even loaded until the island comes near the viewport (once the page
 * is idle) or the user interacts inside it, or {@link wake} asks for it. Until then React leaves
 * its server HTML as it is (a dehydrated Activity boundary), so the page's first hydration does
 * not pay for it.
 *
 * React drops a click on a dehydrated island, and the browser would open a file dropped on it:
 * both are kept here and handed to the island once it runs ({@link takeEarlyEvents}). They are
 * kept from the moment this module runs, before anything hydrates: an island inside the
 * generator renders only once the generator has hydrated. What is typed into its fields stays
 * in the DOM, where the island reads it when it hydrates.
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
  /** Whether it already watches for the island coming into view. */
  observed: boolean;
}

const gates = new Map<string, Gate>();
// Woken before its module ran.
const requested = new Set<string>();

/** Loads and hydrates the island whose root element has this id, now. */
export function wake(id: string): void {
  requested.add(id);
  gates.get(id)?.open();
}

/** Runs `task` once the page is idle (Safari has no requestIdleCallback). */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 200);
}

/** Loads and hydrates the island whose root element has this id at the page's next idle moment. */
export function wakeWhenIdle(id: string): void {
  whenIdle(() => wake(id));
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

/** The gate of the island with this id: records what it misses, and opens on interaction. */
function gateFor(id: string, acceptDrops: boolean): Gate {
  let open!: () => void;
  const needed = new Promise<void>((resolve) => (open = resolve));
  const gate: Gate = {
    needed,
    open: () => open(),
    clicks: [],
    drops: [],
    stop: () => EVENTS.forEach((type) => window.removeEventListener(type, handle, true)),
    observed: false,
  };
  gates.set(id, gate);
  const handle = (event: Event) => {
    const target = event.target as Node;
    const el = document.getElementById(id);
    if (!el?.contains(target)) return;
    // A click inside an island nested in this one is that island's to replay.
    const nested = [...gates.keys()].some((other) => {
      const inner = other === id ? null : document.getElementById(other);
      return inner && el.contains(inner) && inner.contains(target);
    });
    if (event.type === "click" && !nested) {
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
  if (requested.has(id)) gate.open();
  return gate;
}

/**
 * Once the island renders: opens the gate at once if it was touched already, else when it
 * comes into view (if `whenVisible`).
 */
function observe(id: string, gate: Gate, whenVisible: boolean): void {
  if (gate.observed) return;
  gate.observed = true;
  const el = document.getElementById(id);
  // Touched already, in a way no event told (a field changed before this module ran).
  const changed = (f: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) =>
    f instanceof HTMLSelectElement
      ? [...f.options].some((o) => o.selected !== o.defaultSelected)
      : f instanceof HTMLInputElement && (f.type === "checkbox" || f.type === "radio")
        ? f.checked !== f.defaultChecked
        : f.value !== f.defaultValue;
  const touched =
    el?.contains(document.activeElement) ||
    [...(el?.querySelectorAll<HTMLInputElement>("input, textarea, select") ?? [])].some(changed);
  if (!el || touched) return gate.open();
  if (!whenVisible) return;
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      // Visible from the start: once the page's own start-up work is done.
      whenIdle(gate.open);
    },
    { rootMargin: "200px" },
  );
  observer.observe(el);
  void gate.needed.then(() => observer.disconnect());
}

/**
 * An island: the server renders `children` (a server component's output) in the element whose
 * id is `id` (from ./island-ids); in the browser `load` gives the component that takes over
 * once the island is needed. That component gets the island's props and `children`, and its
 * first render must give the same elements as `children` (by rendering them, or the same view
 * with the same initial state): React hydrates the server HTML with it.
 */
export function island<P extends object>(
  load: () => Promise<ComponentType<P & { children: ReactNode }>>,
  { id, acceptDrops = false, whenVisible = true }: { id: string; acceptDrops?: boolean; whenVisible?: boolean },
): ComponentType<P & { children: ReactNode }> {
  const gate = typeof window === "undefined" ? null : gateFor(id, acceptDrops);
  const Lazy = lazy(async () => {
    observe(id, gate!, whenVisible);
    await gate!.needed;
    const Loaded = await load();
    function Running(props: P & { children: ReactNode }) {
      // After the island's own effects, which may take its early events first (the guide's
      // steps must be current before its Copy buttons are clicked again).
      useEffect(() => replayClicks(document.getElementById(id), takeEarlyEvents(id).clicks), []);
      return <Loaded {...props} />;
    }
    return { default: Running };
  });
  function Island(props: P & { children: ReactNode }) {
    // The same boundary on both sides. An Activity, not a Suspense boundary: the server writes
    // its content in place (React streams large Suspense boundaries separately, to be moved in
    // by a script, which would leave them invisible without JavaScript), and the browser
    // hydrates it on its own, later, leaving the server HTML as it is while the code loads.
    return <Activity mode="visible">{gate ? <Lazy {...props} /> : props.children}</Activity>;
  }
  return Island;
}

/** Clicks the buttons (by accessible name) inside the island that were clicked before it ran. */
export function replayClicks(root: HTMLElement | null, names: string[]): void {
  for (const name of names) {
    const button = [...(root?.querySelectorAll("button") ?? [])].find(
      (b) => (b.getAttribute("aria-label") ?? b.textContent) === name,
    );
    if (button && !button.disabled) button.click();
  }
}
