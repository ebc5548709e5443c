"""The outbox relay: publishes pending events (at-least-once, in order per order)."""
