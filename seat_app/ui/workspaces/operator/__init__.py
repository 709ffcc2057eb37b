"""The operator's workspace: the queue, the call and the case being collected."""
