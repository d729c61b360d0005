"""What a run leaves behind: its folder (`run_folder`) and its plots (`plots`,
`plot_style`)."""
