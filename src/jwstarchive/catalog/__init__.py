"""The archive catalog: one model, its published views, stores, generator and product bytes."""
