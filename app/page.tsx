export default function Page() {
  return (
    <main>
      <h1>pushgateway-auth</h1>
      <p>
        Basic auth for the prometheus-community <code>prometheus-pushgateway</code> chart, with a ServiceMonitor that
        Prometheus can actually scrape.
      </p>
    </main>
  );
}
