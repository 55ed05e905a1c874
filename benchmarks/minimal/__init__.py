"""The smallest app each framework allows that gives the starters' two benchmarked answers."""
