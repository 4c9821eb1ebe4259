export const metadata = { title: "Next.js floor", description: "The smallest Next.js page with one client component." };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
