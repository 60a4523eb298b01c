"""Hampshire school-attendance guidance engine: knowledge, retrieval and conversation, with no channel code."""
