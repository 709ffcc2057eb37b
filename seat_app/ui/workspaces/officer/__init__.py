"""The officer's workspace: the cases awaiting liability, everything needed to decide one, and the document."""
