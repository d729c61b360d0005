"""Policy: the event-kind registry (`kinds`), compiling and scheduling events (`schedule`),
the Ministry's rule book (`rules`) and the border wedge on raw materials (`border`). Core."""
