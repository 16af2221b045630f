"""One module per kind of mention; each recognizer is a callable Document -> list[Mention]."""
