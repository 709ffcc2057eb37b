"""The simulated phone: a party's phone in software, for the demo, the tests and the bench.

It joins a call the way the phone page does (invitation link, WebSocket signalling, WebRTC video
and data channel, photo upload), filming pictures drawn by ``kuaichu_artwork``. It is installed
with the project (``kuaichu-phone-sim``) but is not part of the seat: no production package may
import it (the ``phone-sim-outside-production`` contract in pyproject.toml).
"""
