"""Sub-commands of ``alpr``, one module per domain."""
