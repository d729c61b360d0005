"""`python -m sim`: the Hydra entry, nothing else."""

from sim.entry import main

if __name__ == "__main__":
    main()
