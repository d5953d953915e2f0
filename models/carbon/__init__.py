"""Carbon data: product carbon footprints and their exchange with other systems."""
