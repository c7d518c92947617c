export function Reports() {
  return (
    <main class="reports" data-testid="reports-page">
      <h1>Reports</h1>
      <p class="muted">
        Delivery, response and resolution reports will appear here: delivery rate, first-response and resolution times
        against SLA, CSAT, per-channel cost and effect, RFM tiers and churn warnings.
      </p>
    </main>
  );
}
