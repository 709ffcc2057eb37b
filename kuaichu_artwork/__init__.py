"""Fictional pictures of an accident: plates, cars, the three documents and a driver's face.

The simulated phone films them and the OCR tests and the bench read them, so they live here,
shared by both, rather than inside either: the simulator holds no test-data generator, and the
tests need no simulator to draw a plate. Production code never imports this package.
"""
