import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "pushgateway-auth: basic auth for the prometheus-pushgateway chart",
  description:
    "Generate a consistent values.yaml, Secrets and ServiceMonitor so Prometheus scrapes a basic-auth Pushgateway instead of getting 401.",
  // Also in the page, for static hosts that send no Referrer-Policy header.
  referrer: "no-referrer",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
