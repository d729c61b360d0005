"""The model: the day as a plan of phases (`plan`), the model that runs it (`model`), the
builder of its agents from the world and the firm-kind registry (`builder`), the daily
recorder (`recorder`) and the checks across fields (`checks`). Core: no Hydra, no plotting,
no file I/O."""
