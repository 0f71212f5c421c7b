"""Server face."""
