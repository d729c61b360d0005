"""The one way in: the command line (`main`, `run`, `help`), composing a scenario
(`compose`), the checks of what a user types and writes (`overrides`, `keys`, `files`),
world tables (`worlds`) and the generated docs (`docs`). Hydra lives here and in
`sim.experiments`, never in the core."""
