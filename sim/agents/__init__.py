"""The agents (Mesa agents), one module per kind: `firm` (stock, the seller base),
`buyer` (the ordering rule) with `automaker`, `industry`, `defense` and `tier1`; `exporter`
and `raw_exporter` (Chinese sellers), `maker` (non-Chinese magnet makers), `mine`,
`trader`, `government`, and `ministry` (MOFCOM). Which firm kinds exist, and their roles,
is the firm-kind registry's (`sim.config.firm_kinds`)."""
