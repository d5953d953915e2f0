"""EDI documents: trading-partner identities, received files, their messages, files we send."""
