"""Many runs: the one runner (`runner`), sweeps (`sweep`, `specs`, `sampling`, `summary`,
`plots`, `replot`), the ablation (`ablation`, `ablation_spec`), the buffer search
(`buffer`), month-by-month tables (`months`) and what a scenario puts in (`inputs`)."""
