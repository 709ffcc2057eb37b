"""The seat's side of a video call, on aiortc and with no Qt in it.

* ``engine.CallEngine``: one per case; answers the phone's offers, drains media, keeps the
  latest frame, sends data-channel commands, emits state events; survives rejoins.
* ``signalling.SeatSignalling``: feeds server signalling (ToSeatMsg) to engines, sends SeatMsg back.
* ``recorder.SegmentRecorder``: ~60 s MP4 segments, a new one on any frame-size change, each uploaded.
* ``audio``: AudioSource / AudioSink, the interfaces the UI plugs sound devices into.
* ``peers.PeerRegistry``: every peer connection, closed on shutdown.
* ``control``: the data-channel command protocol, shared with the phone simulator.
"""
