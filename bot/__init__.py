"""Channel adapters (terminal, JSON protocols) and the command line over the guidance engine."""
