"""A deterministic demo agency: a Daly City-like city with fixed and patrol-car cameras, 30
days of realistic traffic, hot lists, and incidents whose scenes hold tell-tale vehicles."""

from alpr.data.demo.seed import DemoSummary, seed_demo_data

__all__ = ["DemoSummary", "seed_demo_data"]
